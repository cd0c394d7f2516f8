/**
 * `npm run lint` keeps imports running one way (eslint.config.mjs): these files are linted as if
 * they sat in the tree, and each import that runs the wrong way must be refused.
 */
import { execFileSync } from 'node:child_process';
import { REPO } from '../support/paths';

/**
 * ESLint loads its flat config with a dynamic import, which jest's module sandbox cannot do: the
 * cases are linted in one plain Node process through ESLint's API, as `npm run lint` would see them
 * (less the type-aware rules, below).
 */
function lintAll(cases: Array<[string, string]>): string[][] {
  const script = `
    const path = require('node:path');
    const { ESLint } = require('eslint');
    const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    // Without type information: the layer rules need none, and type-aware rules (no-floating-promises)
    // can only read files on disk, which these cases are not.
    const eslint = new ESLint({
      cwd: process.cwd(),
      overrideConfig: {
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: { '@typescript-eslint/no-floating-promises': 'off' },
      },
    });
    Promise.all(cases.map(([file, code]) => eslint.lintText(code, { filePath: path.join(process.cwd(), file) }))).then((results) => {
      process.stdout.write(JSON.stringify(results.map(([r]) => r.messages.filter((m) => (m.ruleId || '').endsWith('no-restricted-imports')).map((m) => m.message))));
    });`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script], { cwd: REPO, input: JSON.stringify(cases) }).toString('utf8'),
  ) as string[][];
}

const refused: Array<[string, string, RegExp]> = [
  ['src/bot/x.ts', "import { createApiRouter } from '../server/api';\nexport const x = createApiRouter;\n", /must not import server/],
  ['src/bot/cards/x.ts', "import { info } from '../../cli/output';\nexport const x = info;\n", /must not import .*cli/],
  ['src/bot/x.ts', "import { startApp } from '../app';\nexport const x = startApp;\n", /composition root/],
  ['src/server/api/x.ts', "import { Bot } from '../../bot/bot';\nexport const x = Bot;\n", /must not import bot/],
  [
    'src/store/x.ts',
    "import { recordStatus } from '../usecases/recordStatus';\nexport const x = recordStatus;\n",
    /must not import .*usecases/,
  ],
  ['src/usecases/x.ts', "import { Bot } from '../bot/bot';\nexport const x = Bot;\n", /must not import .*bot/],
  ['src/domain/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n", /no I\/O/],
  ['src/domain/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n", /no I\/O/],
  ['src/domain/x.ts', "import { loadConfig } from '../config';\nexport const x = loadConfig;\n", /must not import/],
  ['src/tab/x.ts', "import { createApiRouter } from '../server/api';\nexport const x = createApiRouter;\n", /must not import server/],
  ['src/reports/x.ts', "import { Bot } from '../bot/bot';\nexport const x = Bot;\n", /must not import .*bot/],
];
const allowed: Array<[string, string]> = [
  ['src/bot/x.ts', "import { recordStatus } from '../usecases/recordStatus';\nexport const x = recordStatus;\n"],
  ['src/cli/x.ts', "import { startApp } from '../app';\nexport const x = startApp;\n"],
  ['src/tab/x.ts', "import type { StoredItem } from '../store/planStore';\nexport type X = StoredItem;\n"],
  ['src/domain/x.ts', "import { roleKey } from './leads';\nexport const x = roleKey;\n"],
  ['src/server/x.ts', "import { boardPackDocx } from '../reports/boardPackDocx';\nexport const x = boardPackDocx;\n"],
];

describe('imports run one way', () => {
  let results: string[][];
  beforeAll(() => {
    results = lintAll([...refused.map(([f, c]) => [f, c] as [string, string]), ...allowed]);
  });

  it.each(refused.map((c, i) => [...c, i] as const))('%s: refuses %#', (_file, _code, message, i) => {
    expect(results[i]).toEqual([expect.stringMatching(message)]);
  });

  it.each(allowed.map((c, i) => [...c, refused.length + i] as const))('%s: allows %#', (_file, _code, i) => {
    expect(results[i]).toEqual([]);
  });
});
