import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

/**
 * Which way imports run (each layer may use the ones before it, never the ones after):
 *   domain ← import, store, graph, auth, state ← usecases ← reports ← bot, server, scheduler ← app.ts / main.ts ← cli
 * config, logger and errors sit beside domain and may be used by every layer above it.
 * The tab (browser) may use the domain, and types only from the server, store and use cases.
 */
const LAYERS = ['domain', 'import', 'store', 'graph', 'auth', 'state', 'usecases', 'reports', 'bot', 'server', 'scheduler', 'tab', 'cli'];
const outer = (folders, message) => ({
  group: folders.flatMap((f) => [`**/${f}`, `**/${f}/**`]),
  message,
});
const root = (message) => ({
  group: ['../app', '../../app', '../main', '../../main', '../seed', '../../seed'],
  caseSensitive: true,
  message,
});

/** One `no-restricted-imports` rule per folder: what it must not import, and why. */
function layer(folder, forbidden, extra = [], options = {}) {
  return {
    files: [`src/${folder}/**`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...extra,
            ...(forbidden.length
              ? [
                  {
                    ...outer(
                      forbidden,
                      `src/${folder} must not import ${forbidden.join(', ')}: imports run domain ← store ← usecases ← bot/server ← cli.`,
                    ),
                    ...options,
                  },
                ]
              : []),
            root(`src/${folder} must not import the composition root: it is given what it needs.`),
          ],
        },
      ],
    },
  };
}

const IO = {
  group: ['node:*', 'fs', 'path', 'http', 'https', 'better-sqlite3', 'pino', 'express'],
  message: 'The domain is pure: no I/O.',
};
const PLATFORMS = {
  group: ['@microsoft/*', '@azure/*', 'react', 'react-dom', '@fluentui/*', 'zod'],
  message: 'The domain is free of Graph, Teams, React and request validation.',
};
const after = (folder) => LAYERS.slice(LAYERS.indexOf(folder) + 1);

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'build/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/tab/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // A promise nobody awaits loses its failure (an unhandled rejection) and its order: await it, or
  // say `void` where running on alone is meant. Needs the type checker, so only on src/ and bench/.
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  layer('domain', [...LAYERS.filter((l) => l !== 'domain'), 'config', 'logger', 'errors'], [IO, PLATFORMS]),
  layer('import', ['store', 'graph', 'auth', 'state', 'usecases', 'reports', 'bot', 'server', 'scheduler', 'tab', 'cli']),
  layer('store', ['state', 'usecases', 'reports', 'bot', 'server', 'scheduler', 'tab', 'cli']),
  layer('graph', ['store', 'import', 'state', 'usecases', 'reports', 'bot', 'server', 'scheduler', 'tab', 'cli']),
  layer('auth', ['store', 'import', 'graph', 'state', 'usecases', 'reports', 'bot', 'server', 'scheduler', 'tab', 'cli']),
  layer('state', ['import', 'graph', 'usecases', 'reports', 'bot', 'server', 'scheduler', 'tab', 'cli']),
  layer('usecases', after('usecases')),
  // Documents written from domain content (the board pack and the public version as Word / Markdown).
  layer('reports', after('reports')),
  layer('bot', ['server', 'scheduler', 'tab', 'cli']),
  layer('server', ['bot', 'scheduler', 'tab', 'cli']),
  layer('scheduler', ['bot', 'server', 'tab', 'cli']),
  // The tab runs in the browser: server, store and use-case modules only for their types.
  layer(
    'tab',
    ['server', 'store', 'usecases'],
    [
      outer(
        ['bot', 'cli', 'scheduler', 'graph', 'auth', 'import', 'reports'],
        'The tab runs in the browser: it talks to the server through the API.',
      ),
    ],
    {
      allowTypeImports: true,
    },
  ),
);
