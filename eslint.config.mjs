import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

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
  {
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'http', 'https', 'better-sqlite3', 'pino'], message: 'The domain is pure: no I/O.' },
            {
              group: ['@microsoft/*', '@azure/*', 'react', 'react-dom', '@fluentui/*'],
              message: 'The domain is free of Graph, Teams and React.',
            },
            {
              group: ['../store/*', '../bot/*', '../server/*', '../tab/*', '../cli/*', '../import/*'],
              message: 'The domain depends on nothing outside it.',
            },
          ],
        },
      ],
    },
  },
);
