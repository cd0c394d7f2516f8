/**
 * The RAG trend week by week, from the plan's first week (or its first report) to the day shown: a
 * stacked column chart as an accessible SVG (role="img", title and description) with weeks labelled
 * by the date they start ("3 Sept"), a legend that pairs each status colour with its icon and name,
 * and the same data as a table. Each status colour keeps 3:1 against the page in the three Teams
 * themes (RAG_COLOUR); a thin line in the page colour separates the segments of a column.
 *
 * A hand-drawn SVG rather than @fluentui/react-charts: that package brings d3 and its own chart
 * shell for one small chart, and the table beside it already gives screen-reader users every figure.
 * On a narrow screen the chart scrolls inside its own region instead of shrinking its labels.
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { TrendPoint } from '../../domain/dashboard';
import { RAG_LABELS, RAG_VALUES } from '../../domain/model';
import { RagCountTable } from './RagCountTable';
import { formatDate } from '../format';
import { RAG_COLOUR, ragIcon } from './RagBadge';

const useStyles = makeStyles({
  legend: { display: 'flex', flexWrap: 'wrap', gap: '12px', listStyleType: 'none', padding: 0, margin: '8px 0' },
  legendItem: { display: 'inline-flex', alignItems: 'center', gap: '4px' },
  swatch: { width: '14px', height: '14px', display: 'inline-block', borderRadius: '2px' },
  scroll: {
    overflowX: 'auto',
    maxWidth: '100%',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px' },
  },
  svg: { display: 'block' },
  axis: { fill: tokens.colorNeutralForeground1, fontSize: '11px' },
  year: { fill: tokens.colorNeutralForeground2, fontSize: '11px' },
  gridLine: { stroke: tokens.colorNeutralStroke2 },
});

const weekLabel = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });

/** "2018-09-03" → "3 Sept". */
export function shortDate(date: string): string {
  return weekLabel.format(new Date(`${date}T12:00:00Z`));
}

export function TrendChart({ trend, titleId }: { trend: TrendPoint[]; titleId: string }): ReactElement {
  const styles = useStyles();
  const total = Math.max(1, ...trend.map((p) => RAG_VALUES.reduce((n, r) => n + p.counts[r], 0)));
  // Columns narrow as weeks add up; a label every few columns so that labels never overlap.
  const slot = trend.length <= 26 ? 32 : trend.length <= 60 ? 18 : 11;
  const barW = Math.round(slot * 0.72);
  const every = Math.ceil(52 / slot);
  const left = 40;
  const top = 10;
  const h = 180;
  const width = left + trend.length * slot + 16;
  const height = top + h + 44;
  const y = (n: number): number => top + h - (n / total) * h;
  const first = trend[0];
  const last = trend[trend.length - 1];
  const summary = last
    ? `In the week starting ${formatDate(last.weekStart)}: ${RAG_VALUES.map((r) => `${last.counts[r]} ${RAG_LABELS[r].toLowerCase()}`).join(', ')}.`
    : 'No data yet.';
  const ticks = [...new Set([0, Math.round(total / 2), total])];
  return (
    <div>
      <div className={styles.scroll} tabIndex={0} role="region" aria-label="Trend chart">
        <svg
          role="img"
          aria-labelledby={`${titleId}-svgtitle ${titleId}-svgdesc`}
          className={styles.svg}
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          data-testid="trend-chart"
        >
          <title id={`${titleId}-svgtitle`}>Status of items week by week</title>
          <desc id={`${titleId}-svgdesc`}>
            Stacked columns, one per week, from the week starting {first ? formatDate(first.weekStart) : 'none'} to the week starting{' '}
            {last ? formatDate(last.weekStart) : 'none'}. {summary} The table below gives every figure.
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
            const x = left + 4 + i * slot;
            const labelled = i % every === 0 || i === trend.length - 1;
            const newYear = i === 0 || p.weekStart.slice(0, 4) !== trend[i - 1]?.weekStart.slice(0, 4);
            return (
              <g key={p.week} data-week={p.weekStart}>
                {RAG_VALUES.map((r) => {
                  const n = p.counts[r];
                  if (!n) return null;
                  const y0 = y(acc + n);
                  const rect = (
                    <rect
                      key={r}
                      x={x}
                      y={y0}
                      width={barW}
                      height={y(acc) - y0}
                      style={{ fill: RAG_COLOUR[r], stroke: tokens.colorNeutralBackground1, strokeWidth: 1 }}
                    />
                  );
                  acc += n;
                  return rect;
                })}
                {labelled && (
                  <text x={x + barW / 2} y={top + h + 16} textAnchor="middle" className={styles.axis}>
                    {shortDate(p.weekStart)}
                  </text>
                )}
                {labelled && newYear && (
                  <text x={x + barW / 2} y={top + h + 32} textAnchor="middle" className={styles.year}>
                    {p.weekStart.slice(0, 4)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
      <ul className={styles.legend} aria-label="Legend">
        {RAG_VALUES.map((r) => (
          <li key={r} className={styles.legendItem}>
            <span className={styles.swatch} style={{ background: RAG_COLOUR[r] }} aria-hidden />
            <span style={{ color: RAG_COLOUR[r], display: 'inline-flex' }}>{ragIcon(r)}</span>
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
      caption="Status of items by week (the chart's data)"
      rowHeader="Week starting"
      rows={trend.map((p) => ({ key: p.week, header: formatDate(p.weekStart), counts: p.counts }))}
    />
  );
}
