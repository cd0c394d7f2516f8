/**
 * Child process for the kill/restart test: leads' answers (Adaptive Card invokes, read from the JSON
 * file given as the first argument) are handled one after another by the bot's real answer path
 * (BotService.handleCardAction) against the store configured in the environment (STORE=graph,
 * GRAPH_BASE_URL, GRAPH_TOKEN, SHAREPOINT_SITE). Run again after a kill it re-submits every answer,
 * as leads (or Teams retrying an invoke) would. One JSON line per answer on stdout.
 *
 *   node --import tsx test/reliability/support/answerRun.ts answers.json
 */
import fs from 'node:fs';
import { loadConfig } from '../../../src/config';
import { systemClock } from '../../../src/domain/clock';
import { createLogger } from '../../../src/logger';
import { createBotRuntime } from '../../../src/bot/runtime';
import type { IncomingActivity } from '../../../src/bot/activity';
import { openStore } from '../../../src/store/openStore';

async function main(): Promise<void> {
  const invokes = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as IncomingActivity[];
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', process.stderr);
  const store = await openStore(config, logger);
  const runtime = createBotRuntime({ config, store, logger, clock: systemClock });
  try {
    for (const invoke of invokes) {
      const res = await runtime.bot.handleCardAction(invoke);
      const text = JSON.stringify(res.value);
      const outcome = /Recorded: /.test(text) ? 'receipt' : /Not recorded/.test(text) ? 'refused' : 'other';
      process.stdout.write(
        `${JSON.stringify({ itemKey: (invoke.value?.action?.data as { itemKey?: string } | undefined)?.itemKey, outcome })}\n`,
      );
    }
  } finally {
    await runtime.close();
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`answerRun: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
