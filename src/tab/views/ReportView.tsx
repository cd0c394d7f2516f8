/**
 * The board pack for a quarter: summary by objective with the direction of travel, the exception
 * report, every item, outputs against targets and the recommendations; as at the quarter end, from
 * the same content as the Word document. Printable (light on paper whatever the theme), downloadable
 * as .docx; co-ordinators can also download the public version.
 */
import { Button, Field, MessageBar, MessageBarBody, Select, Spinner, makeStyles, webLightTheme } from '@fluentui/react-components';
import { ArrowDownload20Regular, Print20Regular } from '@fluentui/react-icons';
import { useEffect, useState, type ReactElement } from 'react';
import type { BoardPack } from '../../domain/boardPack';
import { ApiError } from '../api';
import { useQuarters } from '../components/AsAtPicker';
import { EveryItem, ExceptionReport, OutputsAndRecommendations, PackSummary } from '../components/BoardPackSections';
import { usePlan } from '../context';
import { formatDate } from '../format';
import { useShared } from '../styles';

const useStyles = makeStyles({
  // The quarter's long names ("Q1 2018-19 (April to June 2018)") shorten on a 320 px screen rather than widen the page.
  quarter: {
    minWidth: 0,
    maxWidth: '100%',
    gridTemplateColumns: 'minmax(0, 1fr)',
    '& .fui-Select': { minWidth: 0, maxWidth: '100%' },
    '& select': { minWidth: 0, maxWidth: '100%', textOverflow: 'ellipsis' },
  },
});

/** Paper is light: in print, every Fluent token takes its light-theme value whatever the screen theme. */
const PRINT_CSS = `@media print {
  @page { margin: 15mm }
  body { font-size: 10pt }
  table { page-break-inside: auto }
  tr { page-break-inside: avoid }
  .no-print { display: none !important }
  .fui-FluentProvider { ${Object.entries(webLightTheme)
    .map(([k, v]) => `--${k}: ${String(v)} !important;`)
    .join(' ')} }
}`;

function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

export function ReportView(): ReactElement {
  const { api, plan, revision, today, me } = usePlan();
  const shared = useShared();
  const styles = useStyles();
  const quarters = useQuarters();
  const [quarter, setQuarter] = useState<string>();
  const [pack, setPack] = useState<BoardPack>();
  const [error, setError] = useState<string>();
  const path = `/plans/${encodeURIComponent(plan.id)}`;

  // The latest quarter that has ended, else the one in progress.
  useEffect(() => {
    if (!quarters || quarter) return;
    const ended = quarters.filter((q) => q.end <= today);
    setQuarter((ended[ended.length - 1] ?? quarters.find((q) => q.start <= today) ?? quarters[0])?.label ?? '');
  }, [quarters, quarter, today]);

  useEffect(() => {
    if (!quarter) return;
    let live = true;
    api.get<BoardPack>(`${path}/board-pack?quarter=${encodeURIComponent(quarter)}`).then(
      (p) => live && (setPack(p), setError(undefined)),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : 'The board pack could not be prepared.'),
    );
    return () => {
      live = false;
    };
  }, [api, path, quarter, revision]);

  const download = async (query: string): Promise<void> => {
    try {
      const { blob, filename } = await api.download(`${path}/${query}`);
      saveFile(blob, filename);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The file could not be downloaded.');
    }
  };

  if (quarters && quarters.length === 0) return <p role="alert">This plan has no period to report on by quarter.</p>;
  if (!pack || !quarter) return error ? <p role="alert">{error}</p> : <Spinner label="Preparing the board pack…" />;
  const q = encodeURIComponent(quarter);
  return (
    <article data-testid="report" aria-labelledby="report-h">
      <style>{PRINT_CSS}</style>
      <h2 id="report-h" className={shared.h2}>
        Board pack: {plan.plan.organisation}, {plan.plan.title}
      </h2>
      <div className={`${shared.toolbar} no-print`}>
        <Field label="Quarter" className={styles.quarter}>
          <Select value={quarter} onChange={(_e, d) => setQuarter(d.value)} data-testid="pack-quarter">
            {(quarters ?? []).map((x) => (
              <option key={x.label} value={x.label}>
                {`${x.label} (${x.span})`}
              </option>
            ))}
          </Select>
        </Field>
        <Button icon={<Print20Regular />} appearance="primary" onClick={() => window.print()}>
          Print or save as PDF
        </Button>
        <Button icon={<ArrowDownload20Regular />} onClick={() => void download(`board-pack?quarter=${q}&format=docx`)}>
          Download Word (.docx)
        </Button>
        {me.coordinator && (
          <>
            <Button icon={<ArrowDownload20Regular />} onClick={() => void download(`public-export?quarter=${q}&format=docx`)}>
              Public version (.docx)
            </Button>
            <Button icon={<ArrowDownload20Regular />} onClick={() => void download(`public-export?quarter=${q}&format=md`)}>
              Public version (.md)
            </Button>
          </>
        )}
      </div>
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <p>
        {pack.quarter.label} ({pack.quarter.span}): position as at {formatDate(pack.asAt)}
        {pack.asAt > today ? ' (the quarter has not ended: the position today)' : ''}. {pack.total} items; {pack.exceptions.offTrack.length}{' '}
        Red or Amber; {pack.exceptions.notReported.length} not reported in the quarter. Direction of travel is against {pack.previous.label}
        .
      </p>
      <PackSummary pack={pack} />
      <ExceptionReport pack={pack} />
      <EveryItem pack={pack} />
      <OutputsAndRecommendations pack={pack} />
    </article>
  );
}
