/** Fluent provider with the Teams theme that matches the host (light, dark, high contrast). */
import { FluentProvider, teamsHighContrastTheme, webDarkTheme, webLightTheme, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement, type ReactNode } from 'react';
import type { Host, ThemeName } from './host';

const THEMES = { light: webLightTheme, dark: webDarkTheme, contrast: teamsHighContrastTheme };

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
});

export function Themed({ host, children }: { host: Host; children: ReactNode }): ReactElement {
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  const styles = useStyles();
  useEffect(() => host.onThemeChange(setTheme), [host]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme === 'light' ? 'light' : 'dark';
  }, [theme]);
  return (
    <FluentProvider theme={THEMES[theme]} className={styles.root} data-theme={theme}>
      {children}
    </FluentProvider>
  );
}
