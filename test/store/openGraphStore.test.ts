/** Opening the Graph store from configuration, with each kind of credential. */
import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import type { OnBehalfOfClient } from '../../src/graph/auth';
import { GraphPlanStore } from '../../src/store/graph/graphListStore';
import { openGraphStoreForUser } from '../../src/store/graph/openGraphStore';
import { openStore } from '../../src/store/openStore';
import type { GraphEmulator } from '../graph-emulator/emulator';
import { startGraphEmulator } from '../graph-emulator/emulator';
import { makePlan } from './fixtures';
import { freshSite, TEST_TOKEN } from './graphSupport';

let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await startGraphEmulator({ token: TEST_TOKEN, sites: [] });
});
afterAll(async () => {
  await emulator.stop();
});

const logger = createLogger('silent');

it('opens the SharePoint store when STORE=graph, with the emulator token', async () => {
  const site = await freshSite(emulator);
  const config = loadConfig({ STORE: 'graph', GRAPH_BASE_URL: emulator.baseUrl, GRAPH_TOKEN: TEST_TOKEN, SHAREPOINT_SITE: site });
  const store = await openStore(config, logger);
  expect(store).toBeInstanceOf(GraphPlanStore);
  expect(await store.importPlan(makePlan(3))).toMatchObject({ created: 3 });
  expect(emulator.listItems(site, 'Delivery Plan Items')).toHaveLength(3);
});

it('refuses STORE=graph without credentials or a site, naming what is missing', () => {
  expect(() => loadConfig({ STORE: 'graph' })).toThrow(/TENANT_ID[\s\S]*CLIENT_ID[\s\S]*CLIENT_SECRET[\s\S]*SHAREPOINT_SITE/);
  expect(() => loadConfig({ STORE: 'graph', GRAPH_TOKEN: 't' })).toThrow(ConfigError);
  expect(() => loadConfig({ STORE: 'graph', GRAPH_PAGE_SIZE: '6000', GRAPH_TOKEN: 't', SHAREPOINT_SITE: 'h:/sites/s' })).toThrow(
    /GRAPH_PAGE_SIZE/,
  );
});

it('acts on behalf of the signed-in user with the token exchanged for their SSO token', async () => {
  const site = await freshSite(emulator);
  const exchanges: Array<{ oboAssertion: string; scopes: string[] }> = [];
  // Stands in for msal's token endpoint: the emulator only accepts TEST_TOKEN, which is issued for this assertion only.
  const app: OnBehalfOfClient = {
    acquireTokenOnBehalfOf: async (request) => {
      exchanges.push({ oboAssertion: request.oboAssertion, scopes: request.scopes });
      return { accessToken: request.oboAssertion === 'sso-token-of-sam' ? TEST_TOKEN : 'not-valid' } as Awaited<
        ReturnType<OnBehalfOfClient['acquireTokenOnBehalfOf']>
      >;
    },
  };
  const config = loadConfig({
    GRAPH_BASE_URL: emulator.baseUrl,
    SHAREPOINT_SITE: site,
    TENANT_ID: 'tenant',
    CLIENT_ID: 'client',
    CLIENT_SECRET: 'secret',
  });
  expect(await openGraphStoreForUser(config, logger, 'sso-token-of-sam', app).listPlans()).toEqual([]);
  expect(exchanges[0]).toEqual({ oboAssertion: 'sso-token-of-sam', scopes: [`${new URL(emulator.baseUrl).origin}/.default`] });
  await expect(openGraphStoreForUser(config, logger, 'sso-token-of-someone-else', app).listPlans()).rejects.toMatchObject({ status: 401 });
});
