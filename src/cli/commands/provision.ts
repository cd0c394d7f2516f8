/**
 * `dplan provision --site <hostname:/sites/path>`: creates the app's SharePoint lists and their typed,
 * indexed columns in the team's site, then reads every column back. Safe to re-run: what exists is
 * left as it is and reported; a column that is not as the app needs it (type, index, uniqueness) is a
 * problem printed on stderr with exit code 1.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../errors';
import { graphHttpFrom } from '../../graph/graphConnection';
import { provisionLists, type ProvisionReport } from '../../store/graph/provision';
import { cliContext } from '../context';
import { action, info } from '../output';

export function describeProvision(site: string, report: ProvisionReport): string[] {
  const lines = report.lists.map((l) => {
    if (l.created) return `${l.displayName}: created with ${l.columnsAdded.length} columns`;
    if (l.columnsAdded.length > 0) return `${l.displayName}: exists; added ${l.columnsAdded.join(', ')}`;
    return `${l.displayName}: exists, unchanged`;
  });
  lines.push(report.unchanged ? `Nothing to change in ${site}.` : `Provisioned ${site}.`);
  return lines;
}

export function registerProvision(program: Command): void {
  program
    .command('provision')
    .description('create the SharePoint lists the app keeps plans in (re-running changes nothing)')
    .option('--site <site>', 'SharePoint site as hostname:/sites/path (default: SHAREPOINT_SITE)')
    .option('--json', 'print the result as JSON on stdout')
    .action(
      action(async (opts: { site?: string; json?: boolean }) => {
        const { config, logger } = cliContext();
        const site = opts.site ?? config.SHAREPOINT_SITE;
        if (!site) throw new ConfigError('Give the site with --site hostname:/sites/path (or set SHAREPOINT_SITE)');
        if (!/^[^:/]+:\/.+/.test(site)) throw new ConfigError(`--site must be hostname:/sites/path, not "${site}"`);
        const report = await provisionLists(graphHttpFrom(config, logger), site);
        if (opts.json) process.stdout.write(`${JSON.stringify({ site, ...report }, null, 2)}\n`);
        else process.stdout.write(`${describeProvision(site, report).join('\n')}\n`);
        for (const list of report.lists) {
          for (const p of list.problems) info(`problem: ${list.displayName}: column ${p.column} ${p.problem}; left as it is`);
        }
        if (!report.ok) {
          info(
            'Fix these in each list\'s settings in SharePoint (Indexed columns; the column\'s "Enforce unique values"), ' +
              'or delete the column and run dplan provision again; "dplan doctor" checks them.',
          );
          process.exitCode = 1;
        }
      }),
    );
}
