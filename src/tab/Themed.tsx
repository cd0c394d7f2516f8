/**
 * The Fluent provider with the Teams theme that matches the host: Fluent v9's own Teams themes
 * (teamsLightTheme, teamsDarkTheme, teamsHighContrastTheme), so that inside Teams the tab looks like
 * Teams. It follows the host's theme changes live (Teams' theme handler, or the system's colour
 * scheme and forced colours outside Teams).
 */
import { FluentProvider, makeStyles, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, tokens } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement, type ReactNode } from 'react';
import type { Host, ThemeName } from './host';

export const THEMES = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
});

export function Themed({ host, children }: { host: Host; children: ReactNode }): ReactElement {
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  const styles = useStyles();
  useEffect(() => host.onThemeChange(setTheme), [host]);
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.style.colorScheme = theme === 'light' ? 'light' : 'dark';
    // The page behind the provider (overscroll, anything wider than the viewport) takes the theme too.
    root.style.backgroundColor = THEMES[theme].colorNeutralBackground1;
  }, [theme]);
  return (
    <FluentProvider theme={THEMES[theme]} className={styles.root} data-theme={theme}>
      {children}
    </FluentProvider>
  );
}
