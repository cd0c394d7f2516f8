/**
 * The dashboard's status colours (tiles, the trend's bars, the legend) keep 3:1 against the page and
 * card backgrounds in the three Teams themes (WCAG 2.2 1.4.11 non-text contrast), computed from the
 * themes Fluent ships; the text beside each says the status, so colour is never alone.
 */
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from '@fluentui/react-components';
import { RAG_VALUES } from '../../src/domain/model';
import { RAG_COLOUR } from '../../src/tab/components/RagBadge';

function luminance(hex: string): number {
  const h = hex.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(h.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** "var(--colorPaletteRedForeground1)" → the theme's value of that token. */
function resolve(theme: Theme, token: string): string {
  const name = /^var\(--(\w+)\)$/.exec(token)?.[1];
  const value = name ? (theme as unknown as Record<string, string>)[name] : undefined;
  if (!value || !/^#[0-9a-f]{6}$/i.test(value)) throw new Error(`${token} has no hex value in the theme (${String(value)})`);
  return value;
}

describe('RAG status colours', () => {
  for (const [name, theme] of [
    ['light', teamsLightTheme],
    ['dark', teamsDarkTheme],
    ['high contrast', teamsHighContrastTheme],
  ] as const) {
    it(`keep at least 3:1 against the page and the cards in the Teams ${name} theme`, () => {
      const low: string[] = [];
      for (const rag of RAG_VALUES) {
        for (const background of ['colorNeutralBackground1', 'colorNeutralBackground2'] as const) {
          const ratio = contrast(resolve(theme, RAG_COLOUR[rag]), theme[background]);
          if (ratio < 3) low.push(`${rag} on ${background}: ${ratio.toFixed(2)}:1`);
        }
      }
      expect(low).toEqual([]);
    });
  }
});
