// ESLint 9 flat config: `npm run lint` (part of `npm test`) runs it with --max-warnings=0, then dependency-cruiser for
// the import rules (.dependency-cruiser.cjs). Rules turned off or tuned here each say why.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    'data/',
    'test-results/',
    'e2e/output/',
    'bench/results/',
    // drizzle-kit's generated snapshots and SQL: not ours to style.
    'server/src/db/migrations/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx}'],
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names fail the typecheck already (noUnusedLocals); here only what tsc does not see. A leading _ marks a
      // parameter a signature requires (Fastify hooks, Array callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `import type` for types (conventions §12); verbatimModuleSyntax keeps it honest for tsc, this says so in the editor.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Chinese text spaces with U+3000 (全角空格) on purpose — titles such as 联系卡 headers and step headings; the rule
      // still catches odd whitespace in code.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true, skipRegExps: true }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }, // CommonJS config files (dependency-cruiser) require by nature.
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
]);
