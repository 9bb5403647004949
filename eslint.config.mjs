// `npm run lint`; scripts/test.sh (so CI) runs it before the tests.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.data/**', 'coverage/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore marks what is there on purpose (a destructured field left out, a
      // parameter an interface requires).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The web console runs in the browser (bundled by scripts/build-console.mjs).
    files: ['console/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // End-to-end tests read the JSON that aws, boto3 and other clients print, untyped by nature.
    files: ['test/e2e/**', 'test/unit/event-contract.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
