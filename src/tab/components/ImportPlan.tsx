/**
 * Import a plan file from the tab (co-ordinators): choose a file (.md, Word .docx, or a CSV/XLSX
 * export), check it (a dry run: what would be imported, what would change, every warning with its
 * line), then import it. Nothing is written until Import; reported statuses are kept.
 */
import { Button, Label, MessageBar, MessageBarBody, Spinner, makeStyles, tokens, useId } from '@fluentui/react-components';
import { useState, type ChangeEvent, type ReactElement } from 'react';
import type { ImportPreview } from '../../server/api/importRoute';
import { ApiError } from '../api';
import { usePlan } from '../context';
import { useShared } from '../styles';

const ACCEPT = '.md,.docx,.csv,.xlsx';
/** Warnings listed in full; beyond this many the rest are counted. */
const SHOWN_WARNINGS = 200;

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '720px', marginTop: '24px' },
  file: { minHeight: '32px', font: 'inherit' },
  actions: { display: 'flex', gap: '8px' },
  warnings: { margin: '4px 0 0', paddingLeft: '20px', fontSize: tokens.fontSizeBase300 },
});

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; label: string }
  | { kind: 'preview'; preview: ImportPreview }
  | { kind: 'done'; preview: ImportPreview }
  | { kind: 'error'; message: string };

function summary(p: ImportPreview): string {
  const org = p.plan.organisation ? ` (${p.plan.organisation})` : '';
  return `"${p.plan.title}"${org}, ${p.plan.periodStart} to ${p.plan.periodEnd}: ${p.items} items (${p.actions} actions, ${p.projects} projects), ${p.objectives} objectives, ${p.recommendations} recommendations.`;
}

function changes(p: ImportPreview, done: boolean): string {
  return done
    ? `${p.created} created, ${p.updated} updated, ${p.unchanged} unchanged.`
    : `Importing it would create ${p.created}, update ${p.updated} and leave ${p.unchanged} unchanged.`;
}

export function ImportPlan(): ReactElement {
  const { api, plan, reload, announce } = usePlan();
  const shared = useShared();
  const styles = useStyles();
  const inputId = useId('import-file');
  const hintId = useId('import-hint');
  const headingId = useId('import-heading');
  const [file, setFile] = useState<File>();
  const [state, setState] = useState<State>({ kind: 'idle' });

  const path = (f: File, dryRun: boolean) => `/plans/import?filename=${encodeURIComponent(f.name)}${dryRun ? '&dryRun=true' : ''}`;
  const failed = (e: unknown, what: string) =>
    setState({ kind: 'error', message: e instanceof ApiError ? e.message : `The file could not be ${what}.` });

  const choose = (e: ChangeEvent<HTMLInputElement>): void => {
    setFile(e.target.files?.[0]);
    setState({ kind: 'idle' });
  };

  const check = async (): Promise<void> => {
    if (!file) return;
    setState({ kind: 'busy', label: `Checking ${file.name}…` });
    try {
      const preview = await api.upload<ImportPreview>(path(file, true), file);
      setState({ kind: 'preview', preview });
      announce(`${file.name} checked: ${preview.items} items, ${preview.warnings.length} warnings.`);
    } catch (e) {
      failed(e, 'checked');
    }
  };

  const importNow = async (): Promise<void> => {
    if (!file) return;
    setState({ kind: 'busy', label: `Importing ${file.name}…` });
    try {
      const preview = await api.upload<ImportPreview>(path(file, false), file);
      setState({ kind: 'done', preview });
      if (preview.planId === plan.id) await reload();
      announce(`${file.name} imported: ${changes(preview, true)}`);
    } catch (e) {
      failed(e, 'imported');
    }
  };

  const preview = state.kind === 'preview' || state.kind === 'done' ? state.preview : undefined;
  return (
    <section className={styles.box} aria-labelledby={headingId} data-testid="import-plan">
      <h3 id={headingId} className={shared.h3}>
        Import a plan file
      </h3>
      <p id={hintId} className={shared.muted}>
        A plan document (.md or Word .docx), or a CSV or XLSX export; up to 20 MB. Check it first: nothing is written until you choose
        Import, and statuses already reported are kept.
      </p>
      <div>
        <Label htmlFor={inputId}>Plan file</Label>
        <br />
        <input id={inputId} className={styles.file} type="file" accept={ACCEPT} aria-describedby={hintId} onChange={choose} />
      </div>
      <div className={styles.actions}>
        <Button onClick={() => void check()} disabled={!file || state.kind === 'busy'}>
          Check file
        </Button>
        {state.kind === 'preview' && (
          <Button appearance="primary" onClick={() => void importNow()}>
            {`Import ${state.preview.items} items`}
          </Button>
        )}
      </div>
      {state.kind === 'busy' && <Spinner size="small" label={state.label} />}
      {state.kind === 'error' && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{state.message}</MessageBarBody>
        </MessageBar>
      )}
      {preview && (
        <MessageBar intent={state.kind === 'done' ? 'success' : preview.warnings.length ? 'warning' : 'info'} role="status">
          <MessageBarBody>
            {state.kind === 'done' ? `Imported ${preview.file}: ` : `${preview.file}: `}
            {summary(preview)} {changes(preview, state.kind === 'done')}
            {state.kind === 'done' &&
              preview.planId !== plan.id &&
              ` It is a plan of its own ("${preview.planId}"): reload the tab to open it.`}
          </MessageBarBody>
        </MessageBar>
      )}
      {preview && preview.warnings.length > 0 && (
        <div>
          <h4 className={shared.h3}>
            {preview.warnings.length} warning{preview.warnings.length === 1 ? '' : 's'}
          </h4>
          <ul className={styles.warnings}>
            {preview.warnings.slice(0, SHOWN_WARNINGS).map((w, i) => (
              <li key={i}>{`Line ${w.line}: ${w.message}`}</li>
            ))}
            {preview.warnings.length > SHOWN_WARNINGS && <li>{`… and ${preview.warnings.length - SHOWN_WARNINGS} more`}</li>}
          </ul>
        </div>
      )}
    </section>
  );
}
