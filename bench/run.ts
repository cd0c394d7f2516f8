/** `npm run bench`: every benchmark, printed as one table. Figures, not pass/fail: tests never time things. */
import { benchAnswer } from './answer';
import { benchBot } from './bot';
import { benchCycle } from './cycle';
import { benchImport } from './importBench';
import { benchLoad } from './load';
import { benchMultiInstance } from './multiInstance';
import { benchStore } from './store';
import { benchTab } from './tab';
import { printTable, type BenchRow } from './table';

/** A suite's name (what `npm run bench <name>` picks), what it runs, and how its failure row is named. */
type Suite = [name: string, run: () => Promise<BenchRow[]>, label?: string];

async function main(): Promise<void> {
  const only = process.argv[2];
  const suites: Suite[] = [
    ['import', benchImport],
    ['store', benchStore],
    ['bot', benchBot],
    ['cycle', benchCycle],
    ['answer', benchAnswer],
    ['load', benchLoad],
    // Three app processes on one Azurite (issue 15): its own suite, so a failure there keeps the rows above.
    ['load', () => benchMultiInstance(), 'load: 3 instances'],
    ['tab', benchTab],
  ];
  const rows: BenchRow[] = [];
  for (const [name, run, label = name] of suites) {
    if (only && only !== name) continue;
    process.stderr.write(`running ${label} benchmarks...\n`);
    try {
      rows.push(...(await run()));
    } catch (err) {
      rows.push({ name: `${label}: FAILED`, value: NaN, unit: '', note: (err as Error).message });
    }
  }
  process.stdout.write(`${printTable(rows)}\n`);
}

void main();
