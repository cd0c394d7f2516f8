/**
 * The emulator installs Teams apps for users as Graph does
 * (https://learn.microsoft.com/en-us/graph/api/userteamwork-post-installedapps): 201, then 409 when
 * installed already, 404 for an unknown user or app, 403 without the permission or when a Teams
 * policy blocks the app; checked with plain HTTP.
 */
import { startGraphEmulator, type GraphEmulator } from './emulator';

const CATALOG_ID = 'c0ffee00-aaaa-4bbb-8ccc-000000000013';
let emulator: GraphEmulator;
let withRole: string;
let withoutRole: string;

async function install(token: string, userId: string, appId = CATALOG_ID): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emulator.baseUrl}/users/${userId}/teamwork/installedApps`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${appId}` }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

beforeAll(async () => {
  emulator = await startGraphEmulator({ token: 'default-token' });
  emulator.addCatalogApp({ id: CATALOG_ID, externalId: 'manifest-id', displayName: 'Delivery Plan' });
  emulator.users.addUser('user-1');
  emulator.users.addUser('user-blocked', { blockedByPolicy: true });
  withRole = emulator.addApp({ appId: 'app', roles: ['TeamsAppInstallation.ReadWriteSelfForUser.All'] });
  withoutRole = emulator.addApp({ appId: 'app', roles: ['Sites.Selected'] });
});

afterAll(() => emulator.stop());

describe('installing the app for a user', () => {
  it('needs an install permission: 403 naming the roles', async () => {
    const res = await install(withoutRole, 'user-1');
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toMatch(/Missing role permissions.*TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
    expect(emulator.users.hasApp('user-1')).toBe(false);
  });

  it('installs once (201), then answers 409', async () => {
    expect((await install(withRole, 'user-1')).status).toBe(201);
    expect(emulator.users.hasApp('USER-1', CATALOG_ID)).toBe(true);
    const again = await install(withRole, 'user-1');
    expect(again.status).toBe(409);
    expect(emulator.users.installed('user-1')).toEqual([CATALOG_ID]);
  });

  it('answers 404 for a user the tenant does not hold, or an app not in the catalog', async () => {
    expect((await install(withRole, 'nobody')).status).toBe(404);
    expect((await install(withRole, 'user-1', 'not-in-catalog')).status).toBe(404);
  });

  it('answers 403 when a Teams app permission policy blocks the app for the user, and installs nothing', async () => {
    const res = await install(withRole, 'user-blocked');
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toContain('App is blocked by app permission policy');
    expect(emulator.users.hasApp('user-blocked')).toBe(false);
  });
});
