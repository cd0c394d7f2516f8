/** sendMail through the app's own Graph client (graph/sendMail.ts) against the emulator, as Graph answers it. */
import { createLogger } from '../../src/logger';
import { GraphHttp, GraphRequestError, MissingGrantError } from '../../src/graph/graphHttp';
import { StaticTokenProvider } from '../../src/graph/auth';
import { sendMail, type MailMessage } from '../../src/graph/sendMail';
import { startGraphEmulator, type GraphEmulator } from './emulator';

const SENDER = 'delivery-plan@contoso.gov.uk';
let emulator: GraphEmulator;
let mailToken: string;
let plainToken: string;

function http(token: string): GraphHttp {
  return new GraphHttp({
    baseUrl: emulator.baseUrl,
    auth: new StaticTokenProvider(token),
    logger: createLogger('silent'),
    retry: { maxRetries: 0 },
  });
}

const message: MailMessage = {
  to: { address: 'dc.jones@met.police.uk', name: 'DC Jones' },
  subject: 'Update please',
  html: '<p>Hello</p>',
};

beforeAll(async () => {
  emulator = await startGraphEmulator({ token: 'emulator-token' });
  emulator.mail.addMailbox(SENDER);
  emulator.mail.addMailbox('someone.else@contoso.gov.uk');
  mailToken = emulator.addApp({ appId: 'app-mail', roles: ['Mail.Send'] });
  plainToken = emulator.addApp({ appId: 'app-plain', roles: ['Sites.Selected'] });
  emulator.mail.restrictApp('app-mail', [SENDER]);
});

afterAll(async () => {
  await emulator?.stop();
});

describe('sendMail (Graph emulator)', () => {
  it('accepts a message from the configured mailbox (202) and keeps it for tests to read', async () => {
    const before = emulator.mail.sent.length;
    await sendMail(http(mailToken), SENDER, message);
    const sent = emulator.mail.sent.slice(before);
    expect(sent).toEqual([
      {
        from: SENDER,
        to: [{ address: 'dc.jones@met.police.uk', name: 'DC Jones' }],
        subject: 'Update please',
        contentType: 'HTML',
        content: '<p>Hello</p>',
        saveToSentItems: true,
      },
    ]);
  });

  it('refuses an app without Mail.Send (403), naming the permission, and sends nothing', async () => {
    const before = emulator.mail.sent.length;
    await expect(sendMail(http(plainToken), SENDER, message)).rejects.toThrow(MissingGrantError);
    await expect(sendMail(http(plainToken), SENDER, message)).rejects.toThrow(/Mail\.Send/);
    expect(emulator.mail.sent.length).toBe(before);
  });

  it('refuses a mailbox outside the application access policy (403 ErrorAccessDenied)', async () => {
    await expect(sendMail(http(mailToken), 'someone.else@contoso.gov.uk', message)).rejects.toThrow(/ErrorAccessDenied/);
  });

  it('answers 404 for a mailbox that does not exist', async () => {
    const err = await sendMail(http(mailToken), 'nobody@contoso.gov.uk', message).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect((err as GraphRequestError).status).toBe(404);
    expect((err as GraphRequestError).code).toBe('ErrorInvalidUser');
  });

  it('answers 400 for a malformed message (a recipient that is not an address, or no message)', async () => {
    const bad = await sendMail(http(mailToken), SENDER, { ...message, to: { address: 'not an address' } }).catch((e: unknown) => e);
    expect((bad as GraphRequestError).status).toBe(400);
    expect((bad as GraphRequestError).code).toBe('ErrorInvalidRecipients');
    const none = await http(mailToken)
      .request('POST', `/users/${SENDER}/sendMail`, { body: { saveToSentItems: true } })
      .catch((e: unknown) => e);
    expect((none as GraphRequestError).status).toBe(400);
  });
});
