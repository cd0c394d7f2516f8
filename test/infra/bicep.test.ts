/**
 * What can be checked of infra/ without Azure or a Bicep compiler: every parameter is documented
 * and supplied, the example parameter files name real parameters, the app settings are ones the
 * server reads, the bot is single-tenant with the Teams channel, and the Sites.Selected script makes
 * the right calls (against a stub `az`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const INFRA = path.join(ROOT, 'infra');
const bicep = fs.readFileSync(path.join(INFRA, 'main.bicep'), 'utf8');
const readme = fs.readFileSync(path.join(INFRA, 'README.md'), 'utf8');

interface Param {
  name: string;
  hasDefault: boolean;
}

const params: Param[] = [...bicep.matchAll(/^param (\w+) \w+( =)?/gm)].map((m) => ({ name: m[1] as string, hasDefault: !!m[2] }));

describe('infra/main.bicep parameters', () => {
  it('has the parameters the deployment guide relies on', () => {
    expect(params.map((p) => p.name)).toEqual(
      expect.arrayContaining(['baseName', 'clientId', 'clientSecret', 'sharePointSite', 'tenantId', 'nodeRuntime']),
    );
    expect(bicep).toMatch(/@secure\(\)\nparam clientSecret string/);
  });

  it('documents every parameter in infra/README.md', () => {
    const undocumented = params.filter((p) => !readme.includes(`| \`${p.name}\` |`)).map((p) => p.name);
    expect(undocumented).toEqual([]);
  });

  it('the example files supply every required parameter and name only real ones', () => {
    const names = new Set(params.map((p) => p.name));
    const required = params.filter((p) => !p.hasDefault).map((p) => p.name);

    const bicepparam = fs.readFileSync(path.join(INFRA, 'main.bicepparam'), 'utf8');
    expect(bicepparam).toMatch(/^using '\.\/main\.bicep'$/m);
    const inBicepparam = [...bicepparam.matchAll(/^param (\w+) =/gm)].map((m) => m[1] as string);
    expect(inBicepparam.filter((n) => !names.has(n))).toEqual([]);
    expect(required.filter((n) => !inBicepparam.includes(n))).toEqual([]);

    const json = JSON.parse(fs.readFileSync(path.join(INFRA, 'main.parameters.example.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    const inJson = Object.keys(json.parameters);
    expect(inJson.filter((n) => !names.has(n))).toEqual([]);
    expect(required.filter((n) => !inJson.includes(n))).toEqual([]);
    // The secret never goes into a parameter file.
    expect(inJson).not.toContain('clientSecret');
    expect(inBicepparam).not.toContain('clientSecret');
  });
});

describe('infra/main.bicep resources', () => {
  it('sets only app settings the server (src/config.ts), the Teams SDK or App Service read', () => {
    const block = /name: 'appsettings'\s*\n\s*properties: \{([\s\S]*?)\n {2}\}/.exec(bicep)?.[1] ?? '';
    const settings = [...block.matchAll(/^\s{4}(\w+):/gm)].map((m) => m[1] as string);
    expect(settings.length).toBeGreaterThan(8);
    const config = fs.readFileSync(path.join(ROOT, 'src', 'config.ts'), 'utf8');
    const platform = [
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'ApplicationInsightsAgent_EXTENSION_VERSION',
    ];
    const unknown = settings.filter((s) => !platform.includes(s) && !new RegExp(`^\\s*${s}:`, 'm').test(config));
    expect(unknown).toEqual([]);
    expect(settings).toEqual(expect.arrayContaining(['STORE', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'SHAREPOINT_SITE', 'PUBLIC_URL']));
    expect(block).toMatch(/STORE: 'graph'/);
    expect(block).toMatch(/CLIENT_SECRET: '@Microsoft\.KeyVault\(VaultName=\$\{keyVault\.name\};SecretName=\$\{clientSecretName\}\)'/);
  });

  it('registers a single-tenant Azure Bot at /api/messages with the Teams channel', () => {
    expect(bicep).toMatch(/resource bot 'Microsoft\.BotService\/botServices@\d{4}-\d{2}-\d{2}'/);
    expect(bicep).toMatch(/msaAppType: 'SingleTenant'/);
    expect(bicep).toMatch(/msaAppTenantId: tenantId/);
    expect(bicep).toMatch(/msaAppId: clientId/);
    expect(bicep).toMatch(/endpoint: '\$\{publicUrl\}\/api\/messages'/);
    expect(bicep).toMatch(/name: 'MsTeamsChannel'[\s\S]*channelName: 'MsTeamsChannel'/);
  });

  it('runs Linux Node 22 LTS with the Key Vault read by the app identity only', () => {
    expect(bicep).toMatch(/param nodeRuntime string = 'NODE\|22-lts'/);
    expect(bicep).not.toMatch(/NODE\|20-lts/);
    const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('>=22');
    expect(bicep).toMatch(/linuxFxVersion: nodeRuntime/);
    expect(bicep).toMatch(/enableRbacAuthorization: true/);
    expect(bicep).toMatch(/principalId: site\.identity\.principalId/);
    expect(bicep).toMatch(/keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'/);
    expect(bicep).toMatch(/resource appInsights 'Microsoft\.Insights\/components@/);
  });

  it('runs one instance (until the send ledger is shared) on a package built before deployment, state on the storage account', () => {
    // Two or more once the send ledger and conversation references live on the storage account (README, Known limits).
    expect(bicep).toMatch(/param instanceCount int = 1/);
    expect(bicep).toMatch(/capacity: instanceCount/);
    const block = /name: 'appsettings'\s*\n\s*properties: \{([\s\S]*?)\n {2}\}/.exec(bicep)?.[1] ?? '';
    expect(block).toMatch(/SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'/);
    expect(block).toMatch(/STATE_STORE: 'azure'/);
    expect(block).toMatch(/AZURE_STORAGE_ACCOUNT: storage\.name/);
    expect(block).not.toMatch(/\/home/);
    expect(block).not.toMatch(/SQLITE_PATH|BOT_DB_PATH|SETTINGS_DB_PATH/);
    // NODE_ENV=production skipped devDependencies in the old on-deployment build; now nothing builds there.
    expect(block).toMatch(/NODE_ENV: 'production'/);
  });

  it('gives the app identity the storage data roles it needs and no account keys', () => {
    expect(bicep).toMatch(/resource storage 'Microsoft\.Storage\/storageAccounts@\d{4}-\d{2}-\d{2}'/);
    expect(bicep).toMatch(/allowSharedKeyAccess: false/);
    expect(bicep).toMatch(/allowBlobPublicAccess: false/);
    expect(bicep).toMatch(/minimumTlsVersion: 'TLS1_2'/);
    for (const [role, id] of [
      ['tableDataContributor', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'],
      ['queueDataContributor', '974c5e8b-45b9-4653-ba55-5f855dd0fb88'],
      ['blobDataContributor', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'],
    ]) {
      expect(bicep).toMatch(new RegExp(`${role}: '${id}'`));
    }
    expect(bicep).toMatch(
      /resource storageAccess 'Microsoft\.Authorization\/roleAssignments@[\d-]+' = \[\s*for role in items\(storageRoles\)/,
    );
    expect(bicep).toMatch(/scope: storage\n[\s\S]*?principalId: site\.identity\.principalId/);
  });

  it('sets the catalog app id for deep links, and the guide gives the engineer the vault role it then uses', () => {
    expect(bicep).toMatch(/TEAMS_APP_ID: teamsAppId/);
    const guide = fs.readFileSync(path.join(ROOT, 'docs', 'deployment.md'), 'utf8');
    expect(guide).toMatch(/param secretsOfficerPrincipalId = '\$\(az ad signed-in-user show --query id -o tsv\)'/);
    // The secret is set in the vault by the engineer, not passed inline to the deployment.
    expect(guide).not.toMatch(/-p clientSecret=/);
    expect(guide).toMatch(/az keyvault secret set --vault-name <keyVaultName> -n client-secret/);
    expect(guide).toMatch(/npm run package:server/);
    expect(guide).toMatch(/az webapp deploy -g <rg> -n <webAppName> --src-path build\/dplan-server\.zip --type zip/);
  });

  it('uses dated API versions, preview only where no GA version exists', () => {
    const versions = [...bicep.matchAll(/^resource \w+ '([\w./]+)@([\w-]+)'/gm)].map((m) => [m[1] as string, m[2] as string] as const);
    expect(versions.length).toBeGreaterThanOrEqual(10);
    for (const [type, version] of versions) {
      expect(version).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
      if (version.endsWith('-preview')) expect(type).toBe('Microsoft.Insights/diagnosticSettings');
    }
  });
});

describe('infra/sharepoint/grant-sites-selected.sh (stub az)', () => {
  const script = path.join(INFRA, 'sharepoint', 'grant-sites-selected.sh');
  const APP_ID = '6b1c2f3e-4a5d-4e6f-8a7b-9c0d1e2f3a4b';
  let dir: string;
  let log: string;

  // A stand-in for the Azure CLI: logs each call and answers the few queries the script makes.
  const stub = `#!/usr/bin/env bash
echo "$*" >> "$STUB_LOG"
case "$*" in
  "account show"*) echo 11111111-1111-1111-1111-111111111111 ;;
  "ad app show"*"--query displayName"*) echo "Delivery Plan" ;;
  "ad app show"*"requiredResourceAccess"*) echo "\${STUB_HAS_PERMISSION:-0}" ;;
  "account get-access-token"*) echo stub-token ;;
  "rest --method GET --url https://graph.microsoft.com/v1.0/sites/contoso.sharepoint.com:/sites/prevent "*) echo site-123 ;;
  "rest --method GET --url https://graph.microsoft.com/v1.0/sites/site-123/permissions "*) echo "\${STUB_EXISTING:-}" ;;
  "rest --method POST"*) echo perm-new ;;
  "rest --method PATCH"*) echo perm-new ;;
  "rest --method GET --url https://graph.microsoft.com/v1.0/sites/site-123/permissions/"*) echo "\${STUB_ROLES:-write}" ;;
esac
exit 0
`;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-grant-'));
    fs.writeFileSync(path.join(dir, 'az'), stub, { mode: 0o755 });
    log = path.join(dir, 'calls.log');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync('bash', [script, ...args], {
      encoding: 'utf8',
      env: { PATH: `${dir}:${process.env.PATH ?? ''}`, STUB_LOG: log, ...env },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
    return { ...result, calls };
  }

  it('adds Sites.Selected, consents, and grants write on the site', () => {
    const { status, stdout, calls } = run(['--app-id', APP_ID, '--site', 'contoso.sharepoint.com:/sites/prevent']);
    expect(status).toBe(0);
    expect(calls).toContainEqual(
      `ad app permission add --id ${APP_ID} --api 00000003-0000-0000-c000-000000000000 --api-permissions 883ea226-0bf2-4a8f-9f9d-92c9162a727d=Role`,
    );
    expect(calls).toContainEqual(`ad app permission admin-consent --id ${APP_ID}`);
    const post = calls.find((c) => c.startsWith('rest --method POST'));
    expect(post).toContain('https://graph.microsoft.com/v1.0/sites/site-123/permissions');
    expect(post).toContain(`{"roles":["write"],"grantedToIdentities":[{"application":{"id":"${APP_ID}","displayName":"Delivery Plan"}}]}`);
    expect(post).toContain('Authorization=Bearer stub-token');
    expect(calls.some((c) => c.startsWith('rest --method PATCH'))).toBe(false);
    expect(stdout).toMatch(/Done: Delivery Plan has \[write\]/);
  });

  it('creates with write then raises to manage (create accepts read or write only)', () => {
    const { status, calls } = run(
      ['--app-id', APP_ID, '--site', 'contoso.sharepoint.com:/sites/prevent', '--role', 'manage', '--skip-consent'],
      {
        STUB_ROLES: 'manage',
      },
    );
    expect(status).toBe(0);
    expect(calls.some((c) => c.startsWith('ad app permission'))).toBe(false);
    expect(calls.find((c) => c.startsWith('rest --method POST'))).toContain('"roles":["write"]');
    expect(calls.find((c) => c.startsWith('rest --method PATCH'))).toContain('/permissions/perm-new --skip-authorization-header');
    expect(calls.find((c) => c.startsWith('rest --method PATCH'))).toContain('{"roles":["manage"]}');
  });

  it('updates an existing grant instead of adding a second one, with the token from GRAPH_TOKEN', () => {
    const { status, calls } = run(['--app-id', APP_ID, '--site', 'contoso.sharepoint.com:/sites/prevent', '--skip-consent'], {
      STUB_HAS_PERMISSION: '1',
      STUB_EXISTING: 'perm-old',
      GRAPH_TOKEN: 'given-token',
    });
    expect(status).toBe(0);
    expect(calls.some((c) => c.startsWith('account get-access-token'))).toBe(false);
    expect(calls.some((c) => c.startsWith('rest --method POST'))).toBe(false);
    const patch = calls.find((c) => c.startsWith('rest --method PATCH'));
    expect(patch).toContain('/sites/site-123/permissions/perm-old');
    expect(patch).toContain('Authorization=Bearer given-token');
  });

  it("revokes the app's grant", () => {
    const { status, calls } = run(['--app-id', APP_ID, '--site', 'contoso.sharepoint.com:/sites/prevent', '--revoke'], {
      STUB_EXISTING: 'perm-old',
    });
    expect(status).toBe(0);
    expect(calls.some((c) => c.startsWith('ad app permission'))).toBe(false);
    expect(calls).toContainEqual(
      expect.stringMatching(/^rest --method DELETE --url https:\/\/graph\.microsoft\.com\/v1\.0\/sites\/site-123\/permissions\/perm-old /),
    );
  });

  it('refuses bad arguments before calling Azure', () => {
    for (const args of [
      ['--app-id', 'nope', '--site', 'contoso.sharepoint.com:/sites/prevent'],
      ['--app-id', APP_ID, '--site', 'https://contoso.sharepoint.com/sites/prevent'],
      ['--app-id', APP_ID, '--site', 'contoso.sharepoint.com:/sites/prevent', '--role', 'owner'],
    ]) {
      const { status, stderr, calls } = run(args);
      expect(status).toBe(1);
      expect(stderr).toMatch(/^error: /);
      expect(calls).toEqual([]);
    }
  });
});
