/**
 * The filled manifest against Microsoft's published schema (offline copy) and against the rules the
 * schema cannot express: domains, SSO resource, bot id, required variables.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  DEV_APP_DOMAIN,
  DEV_APP_ID,
  PackageError,
  SCHEMA_PATH,
  checkConsistency,
  readTemplate,
  renderTemplate,
  resolveValues,
  validateManifest,
} from '../../scripts/package-app';

const APP_ID = '6b1c2f3e-4a5d-4e6f-8a7b-9c0d1e2f3a4b';
const BOT_ID = 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f';
const DOMAIN = 'plan.example-council.gov.uk';

function build(env: NodeJS.ProcessEnv, dev = false) {
  const values = resolveValues(env, { dev });
  return { values, manifest: renderTemplate(readTemplate(), values) };
}

describe('manifest schema', () => {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as {
    $schema: string;
    properties: { manifestVersion: { const: string } };
  };

  it('is the copy named in manifest/schema/README.md (sha256 unchanged)', () => {
    const readme = fs.readFileSync(path.join(path.dirname(SCHEMA_PATH), 'README.md'), 'utf8');
    const sha = crypto.createHash('sha256').update(fs.readFileSync(SCHEMA_PATH)).digest('hex');
    expect(readme).toContain(sha);
    expect(readme).toContain('@microsoft/app-manifest');
  });

  it('is draft-04 for the manifest version the template declares', () => {
    const template = readTemplate() as { manifestVersion: string; $schema: string };
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(template.manifestVersion).toBe(schema.properties.manifestVersion.const);
    expect(template.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${template.manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });
});

describe('filled manifest', () => {
  it('validates against the schema with production values', () => {
    const { manifest } = build({ APP_ID, APP_DOMAIN: DOMAIN });
    expect(validateManifest(manifest)).toEqual([]);
  });

  it('validates against the schema with --dev placeholders', () => {
    const { manifest, values } = build({}, true);
    expect(values.APP_ID).toBe(DEV_APP_ID);
    expect(values.APP_DOMAIN).toBe(DEV_APP_DOMAIN);
    expect(values.APP_NAME_SHORT).toMatch(/dev/);
    expect(validateManifest(manifest)).toEqual([]);
  });

  it('validates with channel features (tier1) switched on', () => {
    const { manifest } = build({ APP_ID, APP_DOMAIN: DOMAIN, SUPPORTS_CHANNEL_FEATURES: 'tier1' });
    expect(manifest.supportsChannelFeatures).toBe('tier1');
    expect(validateManifest(manifest)).toEqual([]);
  });

  it('leaves no ${{...}} placeholder behind', () => {
    const { manifest } = build({ APP_ID, APP_DOMAIN: DOMAIN });
    expect(JSON.stringify(manifest)).not.toMatch(/\$\{\{/);
  });

  it('puts the app domain in validDomains and every tab URL on it, over https', () => {
    const { manifest, values } = build({ APP_ID, APP_DOMAIN: DOMAIN });
    expect(manifest.validDomains).toEqual([DOMAIN]);
    const tabs = manifest.configurableTabs as Array<{ configurationUrl: string; scopes: string[] }>;
    expect(tabs).toHaveLength(1);
    expect(tabs[0]?.configurationUrl).toBe(`https://${DOMAIN}/tab/config.html`);
    expect(tabs[0]?.scopes).toEqual(['team']);
    const personal = (manifest.staticTabs as Array<{ entityId: string; contentUrl?: string; scopes: string[] }>).find(
      (t) => t.entityId === 'my-actions',
    );
    expect(personal?.contentUrl).toBe(`https://${DOMAIN}/tab/personal.html`);
    expect(personal?.scopes).toEqual(['personal']);
    expect(checkConsistency(manifest, values)).toEqual([]);
  });

  it('takes the domain from PUBLIC_URL when APP_DOMAIN is not set, lower-cased', () => {
    const { values, manifest } = build({ APP_ID, PUBLIC_URL: 'https://Plan.Example-Council.gov.uk/' });
    expect(values.APP_DOMAIN).toBe(DOMAIN);
    expect(manifest.validDomains).toEqual([DOMAIN]);
  });

  it('takes the app id from CLIENT_ID when APP_ID is not set', () => {
    const { values } = build({ CLIENT_ID: APP_ID, APP_DOMAIN: DOMAIN });
    expect(values.APP_ID).toBe(APP_ID);
  });

  it('uses one registration for app, bot and SSO unless BOT_ID says otherwise', () => {
    const same = build({ APP_ID, APP_DOMAIN: DOMAIN }).manifest;
    const bots = same.bots as Array<{ botId: string; scopes: string[] }>;
    expect(same.id).toBe(APP_ID);
    expect(bots[0]?.botId).toBe(APP_ID);
    expect(bots[0]?.scopes).toEqual(['personal', 'team']);
    expect(same.webApplicationInfo).toEqual({ id: APP_ID, resource: `api://${DOMAIN}/${APP_ID}` });

    const split = build({ APP_ID, BOT_ID, APP_DOMAIN: DOMAIN }).manifest;
    expect((split.bots as Array<{ botId: string }>)[0]?.botId).toBe(BOT_ID);
    expect(split.id).toBe(APP_ID);
    expect((split.webApplicationInfo as { id: string }).id).toBe(APP_ID);
  });

  it('accepts an explicit SSO resource (e.g. the botid- form) on the app domain', () => {
    const resource = `api://${DOMAIN}/botid-${APP_ID}`;
    const { manifest, values } = build({ APP_ID, APP_DOMAIN: DOMAIN, SSO_RESOURCE: resource });
    expect((manifest.webApplicationInfo as { resource: string }).resource).toBe(resource);
    expect(checkConsistency(manifest, values)).toEqual([]);
  });
});

describe('the checks can fail', () => {
  it('the schema rejects a manifest with the wrong version, a bad id and a missing developer', () => {
    const { manifest } = build({ APP_ID, APP_DOMAIN: DOMAIN });
    const broken: Record<string, unknown> = { ...manifest, manifestVersion: '1.29', id: 'not-a-guid' };
    delete broken.developer;
    const errors = validateManifest(broken).join('\n');
    expect(errors).toMatch(/\/manifestVersion/);
    expect(errors).toMatch(/\/id/);
    expect(errors).toMatch(/developer/);
  });

  it('the schema rejects an unknown property and a second configurable tab', () => {
    const { manifest } = build({ APP_ID, APP_DOMAIN: DOMAIN });
    const tabs = manifest.configurableTabs as unknown[];
    const broken = { ...manifest, tabs: [], configurableTabs: [...tabs, ...tabs] };
    const errors = validateManifest(broken).join('\n');
    expect(errors).toMatch(/additionalProperties|must NOT have additional properties/);
    expect(errors).toMatch(/\/configurableTabs/);
  });

  it('the consistency check rejects a foreign domain, a wrong bot and an SSO resource off the domain', () => {
    const { manifest, values } = build({ APP_ID, APP_DOMAIN: DOMAIN });
    const broken = {
      ...manifest,
      validDomains: ['elsewhere.example.com'],
      bots: [{ ...(manifest.bots as object[])[0], botId: BOT_ID }],
      webApplicationInfo: { id: APP_ID, resource: `api://${APP_ID}` },
    };
    const problems = checkConsistency(broken, values).join('\n');
    expect(problems).toMatch(`validDomains does not contain ${DOMAIN}`);
    expect(problems).toMatch('is not on a valid domain');
    expect(problems).toMatch('bots[0].botId');
    expect(problems).toMatch('webApplicationInfo.resource');
  });
});

describe('environment variables', () => {
  it('names each missing variable in one clear error', () => {
    expect(() => resolveValues({})).toThrow(PackageError);
    expect(() => resolveValues({})).toThrow(/APP_ID is required[\s\S]*APP_DOMAIN is required/);
  });

  it('names only the variable that is missing', () => {
    let message = '';
    try {
      resolveValues({ APP_ID });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/APP_DOMAIN is required/);
    expect(message).not.toMatch(/APP_ID is required/);
  });

  it('treats an empty or blank value as missing', () => {
    expect(() => resolveValues({ APP_ID: '  ', APP_DOMAIN: DOMAIN })).toThrow(/APP_ID is required/);
  });

  it('rejects malformed values, naming the variable and the value', () => {
    expect(() => resolveValues({ APP_ID: 'abc', APP_DOMAIN: DOMAIN })).toThrow(/APP_ID: must be a GUID.*"abc"/);
    expect(() => resolveValues({ APP_ID, APP_DOMAIN: `https://${DOMAIN}/tab` })).toThrow(/APP_DOMAIN: must be a lower-case host name/);
    expect(() => resolveValues({ APP_ID, APP_DOMAIN: DOMAIN, APP_VERSION: '1.0' })).toThrow(/APP_VERSION/);
    expect(() => resolveValues({ APP_ID, APP_DOMAIN: DOMAIN, BOT_ID: 'x' })).toThrow(/BOT_ID/);
    expect(() => resolveValues({ APP_ID, APP_DOMAIN: DOMAIN, PRIVACY_URL: 'http://insecure.example' })).toThrow(/PRIVACY_URL/);
  });

  it('reports a bad APP_ID once, not again as the BOT_ID it defaults to', () => {
    expect(() => resolveValues({ APP_ID: 'abc', APP_DOMAIN: DOMAIN })).not.toThrow(/BOT_ID/);
  });

  it('--dev does not override values that are set', () => {
    const values = resolveValues({ APP_ID, APP_DOMAIN: DOMAIN }, { dev: true });
    expect(values.APP_ID).toBe(APP_ID);
    expect(values.APP_DOMAIN).toBe(DOMAIN);
  });
});
