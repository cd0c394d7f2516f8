/**
 * Jest runs TypeScript through SWC (fast, no type-check: `npm run typecheck` does that).
 *
 * Two projects: `unit` is the inner loop (`npm run test:unit`, well under a minute on a busy 2-core
 * machine): pure domain code, the importers, the SQLite store and bot ledgers, card builders and the
 * card validator, tab components, manifest and docs checks. No browser, no HTTP server, no Graph
 * emulator, no child process. `integration` is everything else. `npm test` runs both.
 */
const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
};

/** Folders and files of the unit project, relative to test/. */
const UNIT = [
  'domain/',
  'import/',
  'scheduler/',
  'tab/',
  'store/sqlite.test.ts',
  'store/openStore.test.ts',
  'graph/retry.test.ts',
  'usecases/',
  'bot/cards.test.ts',
  'bot/identity.test.ts',
  'bot/ledger.test.ts',
  'bot/planSettings.test.ts',
  'bot/sender.test.ts',
  'support/validateCard.test.ts',
  'manifest/manifest.test.ts',
  'manifest/icons.test.ts',
  'manifest/docs.test.ts',
  'infra/bicep.test.ts',
  'security/hostilePlans.test.ts',
];
const escape = (p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: UNIT.map((p) => (p.endsWith('/') ? `<rootDir>/test/${p}**/*.test.{ts,tsx}` : `<rootDir>/test/${p}`)),
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.{ts,tsx}'],
      testPathIgnorePatterns: ['/node_modules/', ...UNIT.map((p) => `<rootDir>/test/${escape(p)}${p.endsWith('/') ? '' : '$'}`)],
    },
  ],
};
