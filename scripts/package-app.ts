/**
 * Builds the Teams app package: fills manifest/manifest.template.json from environment variables,
 * validates the result against Microsoft's JSON schema for its manifest version (kept offline in
 * manifest/schema/), checks the icons, and writes
 *
 *   build/appPackage/manifest.json (+ color.png, outline.png)
 *   build/appPackage.zip            (the three files at the zip's root: upload this to Teams)
 *
 * Usage:
 *   APP_ID=<entra app id> APP_DOMAIN=plan.example.gov.uk npm run package
 *   npm run package -- --env-file .env.production
 *   npm run package -- --dev          (local test package: placeholder id, localhost domain)
 *
 * Variables (see docs/deployment.md):
 *   APP_ID          Entra app registration's Application (client) ID; falls back to CLIENT_ID.
 *   APP_DOMAIN      Host name the app is served from (no https://, no path); falls back to PUBLIC_URL's host.
 *   BOT_ID          Azure Bot's Microsoft App ID; defaults to APP_ID (one registration for bot, tab and Graph).
 *   APP_VERSION     Package version, MAJOR.MINOR.PATCH; defaults to package.json's version. Raise it for every upload.
 *   APP_NAME_SHORT, APP_NAME_FULL, DEVELOPER_NAME, WEBSITE_URL, PRIVACY_URL, TERMS_URL   Listing text and links.
 *   SSO_RESOURCE    webApplicationInfo.resource; defaults to api://APP_DOMAIN/APP_ID. Must equal the
 *                   Application ID URI set under "Expose an API" in the app registration.
 *   SUPPORTS_CHANNEL_FEATURES   Set to "tier1" to offer the app in private and shared channels.
 *
 * Manifest reference: https://learn.microsoft.com/microsoftteams/platform/resources/schema/manifest-schema
 * Package rules:      https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package
 */
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { z } from 'zod';

const ROOT = path.resolve(__dirname, '..');
export const MANIFEST_DIR = path.join(ROOT, 'manifest');
export const SCHEMA_PATH = path.join(MANIFEST_DIR, 'schema', 'MicrosoftTeams.v1.30.schema.json');
export const TEMPLATE_PATH = path.join(MANIFEST_DIR, 'manifest.template.json');
export const DEFAULT_OUT_DIR = path.join(ROOT, 'build');

/** Placeholder values used by `--dev` only. The all-zero GUID is never a real app registration. */
export const DEV_APP_ID = '00000000-0000-0000-0000-000000000000';
export const DEV_APP_DOMAIN = 'localhost:3978';

/** The package's files: Teams wants exactly these, at the zip's root. */
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;
export const ICON_SIZES = { 'color.png': 192, 'outline.png': 32 } as const;

export class PackageError extends Error {
  override name = 'PackageError';
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Lower-case host name with an optional port (Teams rejects upper case on Android; tunnels and localhost use ports). */
const DOMAIN = /^(?=.{1,253}(:|$))[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$/;
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

const httpsUrl = z.string().regex(/^https:\/\/[^\s]+$/, 'must be an https:// URL');

const valuesSchema = z.object({
  APP_ID: z.string().regex(GUID, 'must be a GUID: the Application (client) ID of the Entra app registration'),
  BOT_ID: z.string().regex(GUID, "must be a GUID: the Azure Bot's Microsoft App ID"),
  APP_DOMAIN: z.string().regex(DOMAIN, 'must be a lower-case host name such as plan.example.gov.uk, without https:// or a path'),
  APP_VERSION: z.string().regex(SEMVER, 'must be MAJOR.MINOR.PATCH, e.g. 1.0.3'),
  APP_NAME_SHORT: z.string().min(1).max(30),
  APP_NAME_FULL: z.string().min(1).max(100),
  DEVELOPER_NAME: z.string().min(1).max(32),
  WEBSITE_URL: httpsUrl,
  PRIVACY_URL: httpsUrl,
  TERMS_URL: httpsUrl,
  SSO_RESOURCE: z
    .string()
    .regex(/^api:\/\/[^\s]+$/, 'must be an api:// URI (the Application ID URI of the app registration)')
    .max(2048),
  SUPPORTS_CHANNEL_FEATURES: z.enum(['tier1']).optional(),
});

export type ManifestValues = z.infer<typeof valuesSchema>;

/** What each required variable is, for the message when it is missing. */
const REQUIRED: Record<'APP_ID' | 'APP_DOMAIN', string> = {
  APP_ID: 'the Application (client) ID of the Entra app registration (set APP_ID, or CLIENT_ID)',
  APP_DOMAIN: 'the host name the app is served from, e.g. plan.example.gov.uk (set APP_DOMAIN, or PUBLIC_URL)',
};

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '1.0.0';
}

/**
 * Resolves the manifest values from `env`. Throws PackageError naming every missing or malformed
 * variable. With `dev`, a missing APP_ID or APP_DOMAIN gets a clearly fake placeholder instead.
 */
export function resolveValues(env: NodeJS.ProcessEnv, options: { dev?: boolean } = {}): ManifestValues {
  const dev = options.dev ?? false;
  let appId = nonEmpty(env.APP_ID) ?? nonEmpty(env.CLIENT_ID);
  let appDomain = nonEmpty(env.APP_DOMAIN) ?? hostOf(nonEmpty(env.PUBLIC_URL));

  const missing: string[] = [];
  if (!appId) {
    if (dev) appId = DEV_APP_ID;
    else missing.push(`APP_ID is required: ${REQUIRED.APP_ID}`);
  }
  if (!appDomain) {
    if (dev) appDomain = DEV_APP_DOMAIN;
    else missing.push(`APP_DOMAIN is required: ${REQUIRED.APP_DOMAIN}`);
  }
  if (missing.length) {
    throw new PackageError(`Cannot build the app package:\n  ${missing.join('\n  ')}\n(or pass --dev for a local test package)`);
  }

  const domain = appDomain as string;
  const id = appId as string;
  const site = `https://${domain}/tab/`;
  const candidate = {
    APP_ID: id,
    BOT_ID: nonEmpty(env.BOT_ID) ?? id,
    APP_DOMAIN: domain,
    APP_VERSION: nonEmpty(env.APP_VERSION) ?? packageVersion(),
    APP_NAME_SHORT: nonEmpty(env.APP_NAME_SHORT) ?? (dev ? 'Delivery Plan (dev)' : 'Delivery Plan'),
    APP_NAME_FULL: nonEmpty(env.APP_NAME_FULL) ?? (dev ? 'Delivery Plan for Teams (local development package)' : 'Delivery Plan for Teams'),
    DEVELOPER_NAME: nonEmpty(env.DEVELOPER_NAME) ?? 'Delivery Plan for Teams',
    WEBSITE_URL: nonEmpty(env.WEBSITE_URL) ?? site,
    PRIVACY_URL: nonEmpty(env.PRIVACY_URL) ?? site,
    TERMS_URL: nonEmpty(env.TERMS_URL) ?? site,
    SSO_RESOURCE: nonEmpty(env.SSO_RESOURCE) ?? `api://${domain}/${id}`,
    SUPPORTS_CHANNEL_FEATURES: nonEmpty(env.SUPPORTS_CHANNEL_FEATURES),
  };
  const parsed = valuesSchema.safeParse(candidate);
  if (!parsed.success) {
    // BOT_ID defaults to APP_ID: report a bad APP_ID once, not twice.
    const issues = parsed.error.issues.filter((issue) => !(issue.path[0] === 'BOT_ID' && !nonEmpty(env.BOT_ID)));
    const lines = issues.map((issue) => {
      const name = issue.path.join('.');
      return `${name}: ${issue.message} (got ${JSON.stringify(candidate[name as keyof typeof candidate])})`;
    });
    throw new PackageError(`Cannot build the app package:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;

/**
 * Replaces `${{NAME}}` in every string of the template (values are inserted into parsed JSON, so
 * quotes in a value cannot break the document). Throws on a placeholder with no value.
 */
export function renderTemplate(template: unknown, values: ManifestValues): Record<string, unknown> {
  const lookup = values as unknown as Record<string, string | undefined>;
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (_match, name: string) => {
        const value = lookup[name];
        if (value === undefined) throw new PackageError(`manifest template uses \${{${name}}}, which has no value`);
        return value;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, fill(child)]));
    }
    return node;
  };
  const manifest = fill(template) as Record<string, unknown>;
  if (values.SUPPORTS_CHANNEL_FEATURES) manifest.supportsChannelFeatures = values.SUPPORTS_CHANNEL_FEATURES;
  return manifest;
}

export function readTemplate(templatePath = TEMPLATE_PATH): unknown {
  return JSON.parse(fs.readFileSync(templatePath, 'utf8'));
}

let cachedValidator: ValidateFunction | undefined;

/** Compiles Microsoft's schema (draft-04) once. Not strict: Microsoft's schema has keywords strict mode rejects. */
export function schemaValidator(): ValidateFunction {
  if (!cachedValidator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as object;
    cachedValidator = ajv.compile(schema) as unknown as ValidateFunction;
  }
  return cachedValidator;
}

/** Schema errors as readable lines; empty when the manifest is valid. */
export function validateManifest(manifest: unknown): string[] {
  const validate = schemaValidator();
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

/**
 * Checks the schema cannot express: every URL the app loads is https on a valid domain, the SSO
 * resource names the app's domain and id, and the bot is the intended registration.
 */
export function checkConsistency(manifest: Record<string, unknown>, values: ManifestValues): string[] {
  const problems: string[] = [];
  const validDomains = (manifest.validDomains as string[] | undefined) ?? [];
  if (!validDomains.includes(values.APP_DOMAIN)) problems.push(`validDomains does not contain ${values.APP_DOMAIN}`);
  const urls: string[] = [];
  for (const tab of (manifest.configurableTabs as Array<{ configurationUrl?: string }> | undefined) ?? []) {
    if (tab.configurationUrl) urls.push(tab.configurationUrl);
  }
  for (const tab of (manifest.staticTabs as Array<{ contentUrl?: string; websiteUrl?: string }> | undefined) ?? []) {
    if (tab.contentUrl) urls.push(tab.contentUrl);
  }
  for (const url of urls) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:') problems.push(`${url} is not https`);
    if (!validDomains.includes(parsed.host)) problems.push(`${url} is not on a valid domain`);
  }
  const sso = manifest.webApplicationInfo as { id?: string; resource?: string } | undefined;
  if (sso?.id !== values.APP_ID) problems.push('webApplicationInfo.id is not APP_ID');
  if (!sso?.resource?.startsWith(`api://${values.APP_DOMAIN}/`)) {
    problems.push(`webApplicationInfo.resource must start with api://${values.APP_DOMAIN}/ (Teams SSO requires the app's domain)`);
  }
  const bots = (manifest.bots as Array<{ botId?: string }> | undefined) ?? [];
  if (bots[0]?.botId !== values.BOT_ID) problems.push('bots[0].botId is not BOT_ID');
  return problems;
}

/** Width and height from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number; colorType: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 33 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new PackageError('not a PNG file');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png.readUInt8(25) };
}

export function checkIcons(manifestDir = MANIFEST_DIR): string[] {
  const problems: string[] = [];
  for (const [file, size] of Object.entries(ICON_SIZES)) {
    const full = path.join(manifestDir, file);
    if (!fs.existsSync(full)) {
      problems.push(`${file} is missing (run npx tsx scripts/make-icons.ts)`);
      continue;
    }
    const dims = pngSize(fs.readFileSync(full));
    if (dims.width !== size || dims.height !== size) problems.push(`${file} is ${dims.width}×${dims.height}, must be ${size}×${size}`);
  }
  return problems;
}

export interface BuildOptions {
  env?: NodeJS.ProcessEnv;
  dev?: boolean;
  outDir?: string;
  manifestDir?: string;
}

export interface BuildResult {
  manifest: Record<string, unknown>;
  values: ManifestValues;
  manifestPath: string;
  zipPath: string;
}

/** Resolves, renders, validates and writes the package. Writes nothing when anything is wrong. */
export function buildAppPackage(options: BuildOptions = {}): BuildResult {
  const env = options.env ?? process.env;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const manifestDir = options.manifestDir ?? MANIFEST_DIR;

  const values = resolveValues(env, { dev: options.dev });
  const manifest = renderTemplate(readTemplate(path.join(manifestDir, 'manifest.template.json')), values);
  const problems = [
    ...validateManifest(manifest).map((line) => `schema: ${line}`),
    ...checkConsistency(manifest, values),
    ...checkIcons(manifestDir),
  ];
  if (problems.length) throw new PackageError(`The app package is not valid:\n  ${problems.join('\n  ')}`);

  const folder = path.join(outDir, 'appPackage');
  fs.mkdirSync(folder, { recursive: true });
  const manifestJson = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const manifestPath = path.join(folder, 'manifest.json');
  fs.writeFileSync(manifestPath, manifestJson);

  const zip = new AdmZip();
  zip.addFile('manifest.json', manifestJson);
  for (const icon of Object.keys(ICON_SIZES)) {
    const bytes = fs.readFileSync(path.join(manifestDir, icon));
    fs.writeFileSync(path.join(folder, icon), bytes);
    zip.addFile(icon, bytes);
  }
  const zipPath = path.join(outDir, 'appPackage.zip');
  zip.writeZip(zipPath);
  return { manifest, values, manifestPath, zipPath };
}

interface CliArgs {
  dev: boolean;
  outDir?: string;
  envFile?: string;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { dev: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dev') args.dev = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--out' || arg === '--env-file') {
      const value = argv[++i];
      if (!value) throw new PackageError(`${arg} needs a value`);
      if (arg === '--out') args.outDir = path.resolve(value);
      else args.envFile = path.resolve(value);
    } else throw new PackageError(`unknown option ${arg} (try --help)`);
  }
  return args;
}

function main(argv: readonly string[]): number {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      console.log(
        'Usage: npm run package [-- --dev] [-- --out DIR] [-- --env-file FILE]\nSee the comment at the top of scripts/package-app.ts and docs/deployment.md.',
      );
      return 0;
    }
    if (args.envFile) process.loadEnvFile(args.envFile);
    const result = buildAppPackage({ dev: args.dev, outDir: args.outDir });
    if (!args.dev) {
      const defaulted = ['DEVELOPER_NAME', 'PRIVACY_URL', 'TERMS_URL'].filter((name) => !nonEmpty(process.env[name]));
      if (defaulted.length) {
        console.warn(
          `note: ${defaulted.join(', ')} not set: the listing shows defaults; set your council's name and privacy notice (docs/deployment.md step 7)`,
        );
      }
    }
    if (args.dev) {
      console.warn(
        `DEV PACKAGE: app id ${result.values.APP_ID}${result.values.APP_ID === DEV_APP_ID ? ' (placeholder)' : ''}, domain ${result.values.APP_DOMAIN}. Not for production.`,
      );
    }
    console.log(`manifest ${result.values.APP_ID} v${result.values.APP_VERSION} for ${result.values.APP_DOMAIN}`);
    console.log(`wrote ${path.relative(process.cwd(), result.manifestPath)}`);
    console.log(`wrote ${path.relative(process.cwd(), result.zipPath)}`);
    return 0;
  } catch (error) {
    if (error instanceof PackageError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
