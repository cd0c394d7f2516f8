/**
 * Validates Adaptive Cards with Microsoft's `adaptivecards` library at schema 1.5.
 *
 * The library's ESM build cannot be required from Node, and jsdom 29 is ESM-only inside Jest's
 * CommonJS sandbox, so validation runs in a plain Node child process: it creates a JSDOM window,
 * loads `adaptivecards/dist/adaptivecards.js` into it, parses each card with a SerializationContext
 * targeting 1.5 (parse events: unknown element/action types, properties or values the version does
 * not have…) and validates it (validateProperties: duplicate ids, required inputs without labels,
 * empty collections…). Any such event is a problem; so is a card of 28 KB (28,672 bytes) or more.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const CARD_LIMIT_BYTES = 28 * 1024;

export interface CardProblem {
  phase: string;
  event: string;
  message: string;
}

export interface CardCheck {
  problems: CardProblem[];
  bytes: number;
}

const WORKER = `
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require(process.env.JSDOM_PATH);
const dom = new JSDOM('<!doctype html><html><body></body></html>', { runScripts: 'outside-only' });
dom.window.eval(fs.readFileSync(process.env.AC_PATH, 'utf8'));
const AC = dom.window.AdaptiveCards;
const cards = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = cards.map((json) => {
  const problems = [];
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push({ phase: AC.ValidationPhase[e.phase], event: AC.ValidationEvent[e.event], message: e.message });
  }
  for (const e of card.validateProperties().validationEvents) {
    problems.push({ phase: AC.ValidationPhase[e.phase], event: AC.ValidationEvent[e.event], message: e.message });
  }
  if (json.version !== '1.5') problems.push({ phase: 'check', event: 'Version', message: 'version is ' + json.version + ', expected 1.5' });
  if (json.type !== 'AdaptiveCard') problems.push({ phase: 'check', event: 'Type', message: 'type is ' + json.type });
  return problems;
});
process.stdout.write(JSON.stringify(out));
`;

/** Parses and validates each card at 1.5 (one child process for the batch). */
export function checkCards(cards: unknown[]): CardCheck[] {
  const acPath = path.join(path.dirname(require.resolve('adaptivecards/package.json')), 'dist', 'adaptivecards.js');
  const out = execFileSync(process.execPath, ['-e', WORKER], {
    input: JSON.stringify(cards),
    env: { ...process.env, AC_PATH: acPath, JSDOM_PATH: require.resolve('jsdom') },
    maxBuffer: 64 * 1024 * 1024,
  }).toString('utf8');
  const problems = JSON.parse(out) as CardProblem[][];
  return cards.map((c, i) => ({ problems: problems[i] ?? [], bytes: Buffer.byteLength(JSON.stringify(c), 'utf8') }));
}

export function checkCard(card: unknown): CardCheck {
  return checkCards([card])[0]!;
}

/** Throws, listing every problem, unless every card is a valid 1.5 card under 28 KB. */
export function expectValidCards(cards: unknown[]): CardCheck[] {
  const checks = checkCards(cards);
  const lines: string[] = [];
  checks.forEach((check, i) => {
    const problems = [...check.problems];
    if (check.bytes >= CARD_LIMIT_BYTES)
      problems.push({ phase: 'size', event: 'TooLarge', message: `${check.bytes} bytes (limit ${CARD_LIMIT_BYTES})` });
    for (const p of problems) lines.push(`  card ${i}: [${p.phase}/${p.event}] ${p.message}`);
  });
  if (lines.length > 0) throw new Error(`Cards are not valid Adaptive Cards 1.5 under 28 KB:\n${lines.join('\n')}`);
  return checks;
}

export function expectValidCard(card: unknown): CardCheck {
  return expectValidCards([card])[0]!;
}
