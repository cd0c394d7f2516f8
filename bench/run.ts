/** `npm run bench`: every benchmark, printed as one table. Figures, not pass/fail: tests never time things. */
import { benchImport } from './importBench';
import { printTable, type BenchRow } from './table';
import { benchTab } from './tab';

type Suite = [name: string, run: () => Promise<BenchRow[]>];

async function main(): Promise<void> {
  const only = process.argv[2];
  const suites: Suite[] = [['import', benchImport], ['tab', benchTab]];
  const rows: BenchRow[] = [];
  for (const [name, run] of suites) {
    if (only && only !== name) continue;
    process.stderr.write(`running ${name} benchmarks...\n`);
    try {
      rows.push(...(await run()));
    } catch (err) {
      rows.push({ name: `${name}: FAILED`, value: NaN, unit: '', note: (err as Error).message });
    }
  }
  process.stdout.write(`${printTable(rows)}\n`);
}

void main();
