/**
 * Worker thread for validateCard.ts: plain Node (outside Jest's CommonJS sandbox, where jsdom 29 and
 * its ESM-only dependencies cannot be required), so it creates one JSDOM window, loads Microsoft's
 * `adaptivecards` bundle into it once, and validates every batch of cards the test file sends.
 *
 * Once loaded it says so on parentPort (`{ ready: true }`), so a test file can wait for that without
 * blocking its event loop. A call (synchronous in the test's thread): the caller posts `{ cards }`
 * on `port` and blocks in Atomics.wait on `flag[0]`; the worker posts `{ result }` or `{ error }`
 * back on `port`, then sets `flag[0]` to 1 and notifies. The caller reads the reply with
 * receiveMessageOnPort.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');

const { port, flag, acPath, jsdomPath } = workerData;

let AC;
let loadError;
try {
  const { JSDOM } = require(jsdomPath);
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { runScripts: 'outside-only' });
  dom.window.eval(fs.readFileSync(acPath, 'utf8'));
  AC = dom.window.AdaptiveCards;
} catch (e) {
  loadError = e;
}
parentPort.postMessage({ ready: true });

/** Parse events and validation events of one card at 1.5, as { phase, event, message }. */
function problemsOf(json) {
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
  if (json.version !== '1.5') problems.push({ phase: 'check', event: 'Version', message: `version is ${json.version}, expected 1.5` });
  if (json.type !== 'AdaptiveCard') problems.push({ phase: 'check', event: 'Type', message: `type is ${json.type}` });
  return problems;
}

port.on('message', ({ cards }) => {
  let reply;
  try {
    if (loadError) throw loadError;
    reply = { result: cards.map(problemsOf) };
  } catch (e) {
    reply = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
