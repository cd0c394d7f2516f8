/** The tenant key cache behind SSO validation: which keys it keeps, when it refetches. */
import crypto from 'node:crypto';
import { createJwksCache } from '../../src/auth/jwksCache';

describe('JWKS cache', () => {
  const a = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
  const b = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
  let keys: unknown[] = [];
  let status = 200;
  let fetches = 0;
  const fakeFetch = (async () => {
    fetches++;
    return new Response(JSON.stringify({ keys }), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2018-09-05T10:00:00Z') });
    fetches = 0;
    status = 200;
  });
  afterEach(() => jest.useRealTimers());

  it('keeps RSA signing keys only, as PEM, and serves them from memory', async () => {
    keys = [
      { ...a, kid: 'sig', use: 'sig' },
      { ...b, kid: 'enc', use: 'enc' },
      { kty: 'EC', kid: 'ec', crv: 'P-256', x: 'x', y: 'y' },
      { kty: 'RSA', kid: 'broken', n: '', e: '' },
    ];
    const get = createJwksCache('https://keys', fakeFetch);
    const pem = await get('sig');
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(crypto.createPublicKey(pem as string).export({ format: 'jwk' })).toMatchObject({ n: a.n, e: a.e });
    expect(await get('sig')).toBe(pem);
    expect(fetches).toBe(1);
    expect(await get('enc')).toBeUndefined();
    expect(await get('ec')).toBeUndefined();
    expect(await get('broken')).toBeUndefined();
    expect(fetches).toBe(1); // unknown kids do not refetch within a minute
  });

  it('refetches for an unknown kid after a minute (key roll-over) and after six hours', async () => {
    keys = [{ ...a, kid: 'k1' }];
    const get = createJwksCache('https://keys', fakeFetch);
    expect(await get('k1')).toBeDefined();
    keys = [
      { ...a, kid: 'k1' },
      { ...b, kid: 'k2' },
    ];
    expect(await get('k2')).toBeUndefined();
    jest.setSystemTime(new Date('2018-09-05T10:01:01Z'));
    expect(await get('k2')).toBeDefined();
    expect(fetches).toBe(2);
    jest.setSystemTime(new Date('2018-09-05T16:02:00Z'));
    await get('k1');
    expect(fetches).toBe(3);
  });

  it('fails (so the token is refused) when the endpoint answers an error', async () => {
    status = 500;
    const get = createJwksCache('https://keys', fakeFetch);
    await expect(get('k1')).rejects.toThrow(/answered 500/);
  });
});
