/**
 * The RAG trend week by week: a stacked column chart as an accessible SVG (role="img", title and
 * description) with a legend that pairs colour with icon and text, and the same data as a table.
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { TrendPoint } from '../../domain/dashboard';
import { RAG_LABELS, RAG_VALUES, type Rag } from '../../domain/model';
import { RagCountTable } from './RagCountTable';
import { formatDate } from '../format';
import { ragIcon } from './RagBadge';

export const RAG_FILL: Record<Rag, string> = {
  'not-reported': tokens.colorNeutralForeground3,
  red: tokens.colorPaletteRedBorderActive,
  amber: tokens.colorPaletteMarigoldBorderActive,
  green: tokens.colorPaletteGreenBorderActive,
  complete: tokens.colorBrandBackground,
};

const useStyles = makeStyles({
  legend: { display: 'flex', flexWrap: 'wrap', gap: '12px', listStyleType: 'none', padding: 0, margin: '8px 0' },
  legendItem: { display: 'inline-flex', alignItems: 'center', gap: '4px' },
  swatch: {
    width: '14px',
    height: '14px',
    display: 'inline-block',
    borderRadius: '2px',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
  },
  svg: { maxWidth: '100%', height: 'auto', display: 'block' },
  axis: { fill: tokens.colorNeutralForeground1, fontSize: '11px' },
  gridLine: { stroke: tokens.colorNeutralStroke2 },
});

export function TrendChart({ trend, titleId }: { trend: TrendPoint[]; titleId: string }): ReactElement {
  const styles = useStyles();
  const total = Math.max(1, ...trend.map((p) => RAG_VALUES.reduce((n, r) => n + p.counts[r], 0)));
  const barW = 28;
  const gap = 10;
  const left = 36;
  const top = 10;
  const h = 180;
  const width = left + trend.length * (barW + gap) + gap;
  const height = top + h + 40;
  const y = (n: number): number => top + h - (n / total) * h;
  const last = trend[trend.length - 1];
  const summary = last
    ? `As at week ${last.week}: ${RAG_VALUES.map((r) => `${last.counts[r]} ${RAG_LABELS[r].toLowerCase()}`).join(', ')}.`
    : 'No data yet.';
  const ticks = [0, Math.round(total / 2), total];
  return (
    <div>
      <svg
        role="img"
        aria-labelledby={`${titleId}-svgtitle ${titleId}-svgdesc`}
        className={styles.svg}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
      >
        <title id={`${titleId}-svgtitle`}>RAG status of items week by week</title>
        <desc id={`${titleId}-svgdesc`}>
          Stacked columns, one per ISO week from {trend[0]?.week ?? 'none'} to {last?.week ?? 'none'}. {summary} The table below gives every
          figure.
        </desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left - 4} x2={width} y1={y(t)} y2={y(t)} className={styles.gridLine} />
            <text x={left - 8} y={y(t) + 4} textAnchor="end" className={styles.axis}>
              {t}
            </text>
          </g>
        ))}
        {trend.map((p, i) => {
          let acc = 0;
          const x = left + gap + i * (barW + gap);
          return (
            <g key={p.week}>
              {RAG_VALUES.map((r) => {
                const n = p.counts[r];
                if (!n) return null;
                const y0 = y(acc + n);
                // A dark (light in dark themes) outline keeps every segment 3:1 against the page (WCAG 1.4.11),
                // whatever its fill; the fill and the legend's icons and words say which status it is.
                const rect = (
                  <rect
                    key={r}
                    x={x}
                    y={y0}
                    width={barW}
                    height={y(acc) - y0}
                    style={{ fill: RAG_FILL[r], stroke: tokens.colorNeutralForeground1, strokeWidth: 1 }}
                  />
                );
                acc += n;
                return rect;
              })}
              {(trend.length <= 12 || i % Math.ceil(trend.length / 12) === 0) && (
                <text x={x + barW / 2} y={top + h + 16} textAnchor="middle" className={styles.axis}>
                  {p.week.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className={styles.legend} aria-label="Legend">
        {RAG_VALUES.map((r) => (
          <li key={r} className={styles.legendItem}>
            <span className={styles.swatch} style={{ background: RAG_FILL[r] }} aria-hidden />
            {ragIcon(r)}
            {RAG_LABELS[r]}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function TrendTable({ trend, className }: { trend: TrendPoint[]; className?: string }): ReactElement {
  return (
    <RagCountTable
      {...(className ? { className } : {})}
      caption="RAG status by ISO week (the chart's data)"
      rowHeader="Week"
      before={['Week starting']}
      rows={trend.map((p) => ({ key: p.week, header: p.week, cells: [formatDate(p.weekStart)], counts: p.counts }))}
    />
  );
}
