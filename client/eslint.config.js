// ESLint (flat config) for the library: `npm run lint`. ESLint's and typescript-eslint's
// recommended rules; src/ runs in the browser, scripts/ and test/ in Node. An eslint-disable
// comment that no longer suppresses anything is an error, so none outlives its reason.
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
      // A record and the listener closures of the object it holds refer to each other
      // (RoomSignaling.addPeer): `let x; ... new Session({ cb: () => x... }); x = {...}`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `_name` marks an argument kept for its position (SkylinkJS' event argument orders).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/**/*.ts'], languageOptions: { globals: globals.browser } },
  { files: ['scripts/**/*.mjs', 'test/**/*.mjs', 'eslint.config.js'], languageOptions: { globals: globals.node } },
);
