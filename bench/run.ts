/** `npm run bench`: every benchmark, printed as one table. Figures, not pass/fail: tests never time things. */
import { benchAnswer } from './answer';
import { benchBot } from './bot';
import { benchCycle } from './cycle';
import { benchImport } from './importBench';
import { benchLoad } from './load';
import { benchStore } from './store';
import { benchTab } from './tab';
import { printTable, type BenchRow } from './table';

type Suite = [name: string, run: () => Promise<BenchRow[]>];

async function main(): Promise<void> {
  const only = process.argv[2];
  const suites: Suite[] = [
    ['import', benchImport],
    ['store', benchStore],
    ['bot', benchBot],
    ['cycle', benchCycle],
    ['answer', benchAnswer],
    ['load', benchLoad],
    ['tab', benchTab],
  ];
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
