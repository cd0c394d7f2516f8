/**
 * `dplan doctor [--json]`: checks, with the app's own credentials, everything the app relies on in
 * the tenant (src/doctor) and prints a table with what to do for each failure. Exit code 1 when any
 * check fails. It writes a probe item to the plan's lists and deletes it again.
 */
import type { Command } from 'commander';
import { formatReport, reportJson } from '../../doctor/report';
import { runDoctor } from '../../doctor/runDoctor';
import { cliContext } from '../context';
import { action } from '../output';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      "check the tenant: Graph token, the site and the app's role on it, the lists, a probe item, the Teams app, the bot token and permissions",
    )
    .option('--site <site>', 'SharePoint site as hostname:/sites/path (default: SHAREPOINT_SITE)')
    .option('--json', 'print the result as JSON on stdout')
    .action(
      action(async (opts: { site?: string; json?: boolean }) => {
        const { config, logger } = cliContext();
        const report = await runDoctor({ ...config, SHAREPOINT_SITE: opts.site ?? config.SHAREPOINT_SITE }, { logger });
        process.stdout.write(`${opts.json ? reportJson(report) : formatReport(report)}\n`);
        if (!report.ok) process.exitCode = 1;
      }),
    );
}
