/**
 * Validates Adaptive Cards with Microsoft's `adaptivecards` library at schema 1.5.
 *
 * The library's ESM build cannot be required from Node, and jsdom 29 (with its ESM-only
 * dependencies) cannot be required inside Jest's CommonJS sandbox, so validation runs in a worker
 * thread (cardValidatorWorker.cjs, plain Node): one JSDOM window with `adaptivecards/dist/adaptivecards.js`
 * loaded once per test file, asked synchronously (Atomics.wait, then receiveMessageOnPort) so
 * `checkCards` and `expectValidCards` stay plain functions. Each card is parsed with a
 * SerializationContext targeting 1.5 (parse events: unknown element/action types, properties or
 * values the version does not have…) and validated (validateProperties: duplicate ids, required
 * inputs without labels, empty collections…). Any such event is a problem; so is a card of 28 KB
 * (28,672 bytes) or more.
 *
 * A synchronous call stops the test file's event loop, and with it the servers the file runs in
 * process, so it must be short: in Jest the worker starts when this module is imported and a
 * `beforeAll` waits (without blocking) until it has loaded jsdom and the library, so each call
 * blocks for milliseconds. (Blocking for seconds let servers' keep-alive timers close sockets that
 * the next request then reused: ECONNRESET, and a prompt recorded as "uncertain".)
 */
import path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

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

/** Generous: the first call also waits for the worker to load jsdom and the library (about a second, longer on a busy machine). */
const REPLY_TIMEOUT_MS = 120_000;

interface Validator {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  /** Settles once the worker has loaded jsdom and the library (or failed to: the next call says why). */
  loaded: Promise<void>;
}

let validator: Validator | undefined;

function start(): Validator {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(path.join(__dirname, 'cardValidatorWorker.cjs'), {
    workerData: {
      port: port2,
      flag,
      acPath: path.join(path.dirname(require.resolve('adaptivecards/package.json')), 'dist', 'adaptivecards.js'),
      jsdomPath: require.resolve('jsdom'),
    },
    transferList: [port2],
  });
  const loaded = new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
  // Never keeps Jest's worker alive; stopped with the test file when Jest's hooks are there.
  worker.unref();
  port1.unref();
  return { worker, port: port1, flag, loaded };
}

if (typeof beforeAll === 'function' && typeof afterAll === 'function') {
  validator = start();
  const v = validator;
  beforeAll(() => v.loaded, REPLY_TIMEOUT_MS);
  afterAll(async () => {
    validator = undefined;
    v.port.close();
    await v.worker.terminate();
  });
}

function problemsOf(cards: unknown[]): CardProblem[][] {
  validator ??= start();
  const { port, flag } = validator;
  Atomics.store(flag, 0, 0);
  port.postMessage({ cards });
  if (Atomics.wait(flag, 0, 0, REPLY_TIMEOUT_MS) === 'timed-out') {
    throw new Error(`The card validator did not answer within ${REPLY_TIMEOUT_MS / 1000} s`);
  }
  const reply = receiveMessageOnPort(port)?.message as { result?: CardProblem[][]; error?: string } | undefined;
  if (!reply?.result) throw new Error(`The card validator failed: ${reply?.error ?? 'no reply'}`);
  return reply.result;
}

/** Parses and validates each card at 1.5. */
export function checkCards(cards: unknown[]): CardCheck[] {
  const problems = problemsOf(cards);
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
