/**
 * A RAG status shown as colour, icon and text together (never colour alone). A plain span with
 * Fluent tokens rather than the Fluent Badge: the plan renders thousands of these.
 */
import { makeStyles, mergeClasses, shorthands, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircle16Filled,
  CheckmarkStarburst16Filled,
  CircleHint16Regular,
  ErrorCircle16Filled,
  Warning16Filled,
} from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import { RAG_LABELS, type Rag } from '../../domain/model';

const ICON: Record<Rag, ReactElement> = {
  'not-reported': <CircleHint16Regular aria-hidden />,
  red: <ErrorCircle16Filled aria-hidden />,
  amber: <Warning16Filled aria-hidden />,
  green: <CheckmarkCircle16Filled aria-hidden />,
  complete: <CheckmarkStarburst16Filled aria-hidden />,
};

export function ragIcon(rag: Rag): ReactElement {
  return ICON[rag];
}

/**
 * Each status's colour for marks (the dashboard's tiles, the trend's bars, icons): tokens that keep
 * at least 3:1 against the page and card backgrounds in the three Teams themes (WCAG 1.4.11; light
 * 4.7–6.3:1, dark 4.6–11:1, high contrast 21:1, checked by test/tab/ragColours.test.ts). Marigold's
 * brighter shades are under 3:1 on white, hence its darker foreground for amber.
 */
export const RAG_COLOUR: Record<Rag, string> = {
  'not-reported': tokens.colorNeutralForeground3,
  red: tokens.colorPaletteRedForeground1,
  amber: tokens.colorPaletteMarigoldForeground2,
  green: tokens.colorPaletteGreenForeground1,
  complete: tokens.colorBrandForeground1,
};

const useStyles = makeStyles({
  base: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: '4px',
    whiteSpace: 'nowrap',
    borderRadius: tokens.borderRadiusMedium,
    ...shorthands.borderWidth('1px'),
    ...shorthands.borderStyle('solid'),
    fontWeight: tokens.fontWeightSemibold,
    lineHeight: tokens.lineHeightBase200,
  },
  large: { padding: '2px 8px', fontSize: tokens.fontSizeBase300 },
  medium: { padding: '0 6px', fontSize: tokens.fontSizeBase200 },
  'not-reported': {
    backgroundColor: tokens.colorNeutralBackground4,
    color: tokens.colorNeutralForeground1,
    ...shorthands.borderColor(tokens.colorNeutralStroke1),
  },
  red: {
    backgroundColor: tokens.colorPaletteRedBackground1,
    color: tokens.colorPaletteRedForeground2,
    ...shorthands.borderColor(tokens.colorPaletteRedBorder2),
  },
  amber: {
    backgroundColor: tokens.colorPaletteMarigoldBackground1,
    color: tokens.colorNeutralForeground1,
    ...shorthands.borderColor(tokens.colorPaletteMarigoldBorder2),
  },
  green: {
    backgroundColor: tokens.colorPaletteGreenBackground1,
    color: tokens.colorPaletteGreenForeground2,
    ...shorthands.borderColor(tokens.colorPaletteGreenBorder2),
  },
  complete: {
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
    ...shorthands.borderColor(tokens.colorBrandStroke1),
  },
});

export function RagBadge({ status, size = 'large' }: { status: Rag; size?: 'large' | 'medium' }): ReactElement {
  const styles = useStyles();
  return (
    <span className={mergeClasses(styles.base, styles[size], styles[status])} data-rag={status}>
      {ICON[status]}
      {RAG_LABELS[status]}
    </span>
  );
}
