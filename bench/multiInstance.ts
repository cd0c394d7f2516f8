/**
 * Load across instances (issue 15): three app processes (STATE_STORE=azure) on one Azurite and one
 * Teams stand-in (every 100th request answered 429, Retry-After: 1) send a prompt run's 2,000 cards
 * through the send queue, one instance SIGKILLed once a third have arrived and started again on the
 * same machine (WEBSITE_INSTANCE_ID), each instance the built server (`node dist/main.js`).
 * The send rate is over the main stretch (first to last send before the killed instance's taken
 * messages wait out their 30 s visibility timeout); the ceiling is 50 requests/s per app per tenant.
 */
import { execFileSync } from 'node:child_process';
import { REPO } from '../test/support/paths';
import { runMultiInstance } from '../test/state/support/multiInstance';
import type { BenchRow } from './table';

export async function benchMultiInstance(leads = 2000): Promise<BenchRow[]> {
  // The built server, as App Service runs it (a restart then takes what a production restart takes).
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const r = await runMultiInstance({ leads, kill: true, throttleEvery: 100, entry: 'dist' });
  const count = leads.toLocaleString('en-GB');
  return [
    {
      name: `load: 3 instances, ${count} leads, send rate`,
      value: Math.round(r.rate * 10) / 10,
      unit: 'sends/s',
      note: `${Math.round((r.rate / 50) * 100)}% of the 50/s ceiling per app per tenant; busiest second ${r.busiestSecond} requests (${r.tenantOver ? 'OVER' : 'never over 50'}), per-conversation windows ${r.conversationOver ? 'EXCEEDED' : 'never exceeded'}; ${r.throttled} 429s retried; ${r.accepted} sent in ${r.seconds.toFixed(1)} s including the run, the kill and ${r.late} sends after a visibility timeout`,
    },
    {
      name: 'load: 3 instances, duplicates',
      value: r.duplicates,
      unit: 'leads',
      note: 'leads whose card the stand-in accepted more than once',
    },
    {
      name: 'load: 3 instances, lost',
      value: r.lost,
      unit: 'leads',
      note: `leads with no card and no report; ${r.uncertain} card(s) the killed instance was sending were marked uncertain for the co-ordinator (${r.uncertainDelivered} of them had arrived), none re-sent`,
    },
  ];
}
