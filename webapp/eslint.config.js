// ESLint (flat config) for the app: `npm run lint`. ESLint's and typescript-eslint's recommended
// rules; src/ runs in the browser, scripts/ and test/ in Node. An eslint-disable comment that no
// longer suppresses anything is an error, so none outlives its reason.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks an argument kept for its position (SkylinkJS' event argument orders).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Display names and room names are cleaned of control characters with a character class of
      // them (common/format.ts, common/roomName.ts): matching them is the point.
      'no-control-regex': 'off',
    },
  },
  { files: ['src/**/*.{ts,tsx}'], languageOptions: { globals: globals.browser } },
  { files: ['scripts/**/*.mjs', 'test/**/*.mjs', 'eslint.config.js'], languageOptions: { globals: globals.node } },
);
