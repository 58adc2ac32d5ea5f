// Lint, including the folder contract (ARCHITECTURE.md) as import rules, so boundaries are enforced in CI
// rather than by prose.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const up = '^(\\.\\./)+';
const forbid = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map(([regex, message]) => ({ regex, message })) }],
});

export default tseslint.config(
  { ignores: ['node_modules/', '.next/', '.data/', 'db/generated/', 'test-results/', 'playwright-report/', 'next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', window: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['lib/**/*.ts', 'lib/**/*.tsx'],
    rules: forbid(
      [`${up}(db|server|app|data|scripts|tests|e2e)(/|$)`, 'lib/ is pure: it imports nothing outside lib/.'],
      ['^node:|^(fs|path|crypto|http|net|os|child_process)$', 'lib/ does no I/O.'],
      ['^(@prisma/|pg$|fastify|@fastify/|socket\\.io|pino|next|react)', 'lib/ knows nothing of the database, transport or UI.'],
    ),
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    rules: forbid(
      [`${up}(db|server|scripts|tests|e2e)(/|$)`, 'app/ reads data through app/_data (the sidecar API), never db/ or server/.'],
      ['^(@prisma/|pg$|fastify|@fastify/|socket\\.io$|pino)', 'app/ does not talk to the database or host the socket server.'],
    ),
  },
  {
    // Client-side code (shared, and per route such as app/ops/_components) must not reach the server-only
    // data layer; server actions are how it asks the server.
    files: ['app/**/_components/**', 'app/**/_hooks/**', 'app/**/_lib/**'],
    rules: forbid(
      [`${up}(db|server|scripts|tests|e2e)(/|$)`, 'client code imports lib/ and socket.io-client only.'],
      ['(^|/)_data(/|$)', 'app/_data is server-only; pass data down as props.'],
      ['^(@prisma/|pg$|fastify|@fastify/|socket\\.io$|pino|node:)', 'client code runs in the browser.'],
    ),
  },
  {
    files: ['server/**/*.ts'],
    rules: forbid([`${up}app(/|$)`, 'the sidecar never imports the web app.'], ['^(next|react)', 'the sidecar never imports the web app.']),
  },
  {
    // The replay is a client of the public API: it never writes to the database or imports the system.
    files: ['replay/**/*.ts'],
    rules: forbid([`${up}(db|server|app)(/|$)`, 'the replay talks to Valgvakt over HTTP only.'], ['^(@prisma/|pg$)', 'the replay talks to Valgvakt over HTTP only.']),
  },
  {
    files: ['db/**/*.ts'],
    rules: forbid([`${up}(server|app)(/|$)`, 'db/ is used by the sidecar and tools; it imports lib/ only.']),
  },
  {
    files: ['**/*.test.ts', 'tests/**/*.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
