/** Benchmark rows and how they are printed. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export function printTable(rows: BenchRow[]): string {
  const cells = rows.map((r) => [r.name, formatValue(r.value), r.unit, r.note ?? '']);
  const header = ['benchmark', 'value', 'unit', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 1 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-GB');
  return v.toLocaleString('en-GB', { maximumFractionDigits: v < 10 ? 3 : 1 });
}

/** Median of `runs` timings of `fn`, in milliseconds, after one warm-up. */
export async function medianMs(fn: () => unknown | Promise<unknown>, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
