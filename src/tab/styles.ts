/** Shared styles: semantic tables, visible focus, 24px minimum targets. */
import { makeStyles, shorthands, tokens } from '@fluentui/react-components';

export const useShared = makeStyles({
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    fontSize: tokens.fontSizeBase300,
    '& th, & td': {
      textAlign: 'left',
      verticalAlign: 'top',
      padding: '6px 8px',
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    },
    '& thead th': { fontWeight: tokens.fontWeightSemibold, borderBottom: `2px solid ${tokens.colorNeutralStroke1}` },
    '& caption': { textAlign: 'left', fontWeight: tokens.fontWeightSemibold, padding: '4px 0', color: tokens.colorNeutralForeground1 },
  },
  visuallyHidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    ...shorthands.overflow('hidden'),
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    ...shorthands.border(0),
    ...shorthands.padding(0),
  },
  section: { marginBottom: '24px' },
  h2: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, margin: '16px 0 8px' },
  h3: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: '12px 0 6px' },
  muted: { color: tokens.colorNeutralForeground2 },
  linkButton: {
    background: 'none',
    border: 'none',
    padding: '2px 0',
    minHeight: '24px',
    textAlign: 'left',
    font: 'inherit',
    color: tokens.colorBrandForegroundLink,
    textDecorationLine: 'underline',
    cursor: 'pointer',
    ':hover': { color: tokens.colorBrandForegroundLinkHover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px', borderRadius: '2px' },
  },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'center', margin: '8px 0' },
  overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  /**
   * Around a table too wide for a phone: it scrolls inside itself instead of widening the page. Give
   * the wrapper tabIndex={0}, role="region" and an aria-label, so that keyboard users can scroll it.
   */
  scrollX: {
    overflowX: 'auto',
    maxWidth: '100%',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
    '@media print': { overflowX: 'visible' },
  },
});
