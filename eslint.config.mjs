// Import boundaries (ARCHITECTURE.md): lib/ is the domain core and knows no framework or
// UI; workers/ run outside Next.js and never reach into the app or its UI. Plus a few
// cheap correctness rules. Formatting and style are not linted.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** next, react and react-dom, bare or with a subpath (next/server, react/jsx-runtime…). */
const framework = {
  regex: '^(next|react|react-dom)(/.*)?$',
  message: 'Runs outside Next.js and React: keep framework code in app/, components/ or hooks/.',
};

/** The app and UI folders, by alias (@/app/…) or by a relative path out of this folder (../../app/…). */
const appAndUi = (folders, who) => [
  { regex: `^@/(${folders.join('|')})(/|$)`, message: `${who} never imports from ${folders.join('/, ')}/.` },
  { regex: `^(\\./)?(\\.\\./)+(${folders.join('|')})(/|$)`, message: `${who} never imports from ${folders.join('/, ')}/.` },
];

export default defineConfig([
  globalIgnores(['lib/db/generated/', '.next/', '.next-test/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/']),
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    // Registered (none of its rules on) so an eslint-disable comment naming one resolves.
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      'no-dupe-else-if': 'error',
      'no-duplicate-case': 'error',
      'no-self-assign': 'error',
      'no-unsafe-finally': 'error',
      'no-constant-binary-expression': 'error',
    },
  },
  {
    files: ['lib/**/*.ts', 'lib/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [framework, ...appAndUi(['app', 'components', 'hooks'], 'lib/ (the domain core)')] }],
    },
  },
  {
    files: ['workers/**/*.ts', 'workers/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [framework, ...appAndUi(['app', 'components', 'hooks'], 'workers/')] }],
    },
  },
]);
