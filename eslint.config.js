// Lint, including the folder contract (ARCHITECTURE.md) as import rules, so boundaries are enforced in CI
// rather than by prose.
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const withoutExtension = (file) => file.replace(/\.(ts|tsx|js|mjs|mts)$/, '');

// The folder contract, checked on where an import lands rather than how it is spelt: a relative path and
// the `@/` alias (tsconfig paths) resolve to the same file, so neither slips past. `allow` lists what a
// folder may import besides itself (a folder, or one file such as 'server/config.ts'); `allowTypes` what it
// may import types from only. Packages are bare specifiers and stay with no-restricted-imports.
const folderContract = {
  meta: { type: 'problem', schema: [{ type: 'object', properties: { allow: { type: 'array' }, allowTypes: { type: 'array' }, message: { type: 'string' } }, additionalProperties: false }] },
  create(context) {
    const { allow = [], allowTypes = [], message } = context.options[0] ?? {};
    const own = path.relative(ROOT, context.filename).split(path.sep)[0];
    const covers = (entries, target) => entries.some((entry) => target === withoutExtension(entry) || target.startsWith(`${withoutExtension(entry)}/`));
    function check(node, source, typeOnly) {
      const specifier = source?.value;
      if (typeof specifier !== 'string') return;
      let resolved;
      if (specifier.startsWith('@/')) resolved = path.join(ROOT, specifier.slice(2));
      else if (specifier.startsWith('.')) resolved = path.resolve(path.dirname(context.filename), specifier);
      else return;
      const target = withoutExtension(path.relative(ROOT, resolved).split(path.sep).join('/'));
      if (target === own || target.startsWith(`${own}/`) || covers(allow, target) || (typeOnly && covers(allowTypes, target))) return;
      context.report({ node: source, message: `${specifier}: ${message}` });
    }
    const typeOnly = (node) => node.importKind === 'type' || node.exportKind === 'type' ||
      (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node, node.source, typeOnly(node)),
      ExportNamedDeclaration: (node) => check(node, node.source, typeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
    };
  },
};
// A cast (`as`, not `as const`) or a non-null assertion (`!`) tells the compiler something it cannot check,
// so it needs a comment saying why: on its line, on the line above it, or above the statement holding it.
// `// eslint-disable-next-line` comments do not count (they silence, they do not explain).
const explainedAssertion = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const source = context.sourceCode;
    const explains = (comment) => !/^\s*eslint-/.test(comment.value);
    const comments = source.getAllComments().filter(explains);
    const statementOf = (node) => {
      let current = node;
      while (current.parent && !/(Statement|Declaration)$/.test(current.type)) current = current.parent;
      return current;
    };
    function check(node, what) {
      const line = node.loc.start.line;
      const statementLine = statementOf(node).loc.start.line;
      const explained = comments.some((comment) => comment.loc.start.line <= line && comment.loc.end.line >= line - 1 ||
        comment.loc.end.line === statementLine - 1 || comment.loc.end.line === line - 1);
      if (!explained) context.report({ node, message: `${what} without a comment saying why the type system cannot know (or remove it by narrowing)` });
    }
    return {
      TSAsExpression(node) {
        if (node.typeAnnotation.type === 'TSTypeReference' && node.typeAnnotation.typeName.name === 'const') return;
        check(node, 'a cast');
      },
      TSTypeAssertion: (node) => check(node, 'a cast'),
      TSNonNullExpression: (node) => check(node, 'a non-null assertion'),
    };
  },
};
const contract = (message, allow, allowTypes = []) => ({ 'valgvakt/folder-contract': ['error', { allow, allowTypes, message }] });
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
  { plugins: { valgvakt: { rules: { 'folder-contract': folderContract, 'explained-assertion': explainedAssertion } } } },
  {
    files: ['lib/**/*.ts', 'lib/**/*.tsx'],
    rules: {
      ...contract('lib/ is pure: it imports nothing outside lib/.', []),
      ...forbid(
        ['^node:|^(fs|path|crypto|http|net|os|child_process)$', 'lib/ does no I/O.'],
        ['^(@prisma/|pg$|fastify|@fastify/|socket\\.io|pino|next|react)', 'lib/ knows nothing of the database, transport or UI.'],
      ),
    },
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    rules: {
      ...contract('app/ reads data through app/_data (the sidecar API), never db/ or server/; it imports lib/ only.', ['lib']),
      ...forbid(['^(@prisma/|pg$|fastify|@fastify/|socket\\.io$|pino)', 'app/ does not talk to the database or host the socket server.']),
    },
  },
  {
    // Client-side code (shared, and per route such as app/ops/_components) must not reach the server-only
    // data layer; server actions are how it asks the server.
    files: ['app/**/_components/**', 'app/**/_hooks/**', 'app/**/_lib/**'],
    rules: forbid(
      ['(^|/)_data(/|$)', 'app/_data is server-only; pass data down as props.'],
      ['^(@prisma/|pg$|fastify|@fastify/|socket\\.io$|pino|node:)', 'client code runs in the browser.'],
    ),
  },
  {
    files: ['proxy.ts'],
    // The language routing it shares with the app's links (next-intl's config) is one plain module.
    rules: contract('the Next.js proxy imports lib/ and the app\'s language routing (app/_i18n/routing.ts) only.', ['lib', 'app/_i18n/routing.ts']),
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      ...contract('the sidecar imports lib/, db/ and data/; never the web app or the tools.', ['lib', 'db', 'data']),
      ...forbid(['^(next|react)', 'the sidecar never imports the web app.']),
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: contract('db/ is used by the sidecar and tools; it imports lib/ only.', ['lib']),
  },
  {
    // Reference data and the recording's reader: pure readers of files, typed by the database's shapes.
    files: ['data/**/*.ts'],
    rules: contract('data/ imports lib/ (and types from db/) only.', ['lib'], ['db']),
  },
  {
    // The replay is a client of the public API: it never writes to the database or imports the system.
    files: ['replay/**/*.ts'],
    rules: {
      ...contract('the replay talks to Valgvakt over HTTP only; it imports lib/.', ['lib']),
      ...forbid(['^(@prisma/|pg$)', 'the replay talks to Valgvakt over HTTP only.']),
    },
  },
  {
    files: ['watchdog/**/*.ts'],
    rules: {
      ...contract('the watchdog feeds Valgvakt through its ingest API only; it imports lib/.', ['lib']),
      ...forbid(['^(@prisma/|pg$)', 'the watchdog feeds Valgvakt through its ingest API only.']),
    },
  },
  {
    // Command-line entry points: they may set up the database and launch the clients, but the sidecar
    // only as a process (its settings and thresholds are shared), and never the web app or the tests.
    files: ['scripts/**/*.ts'],
    rules: contract('scripts/ imports lib/, db/, data/, replay/, watchdog/ and server/config.ts, server/thresholds.ts only.', [
      'lib', 'db', 'data', 'replay', 'watchdog', 'server/config.ts', 'server/thresholds.ts',
    ]),
  },
  {
    // The benchmark starts the system as processes and drives it over HTTP and WebSocket.
    files: ['bench/**/*.ts'],
    // server/roles/niceness.ts: its viewers' processes yield to intake as the sidecar's live processes do.
    rules: contract('bench/ imports lib/, db/, data/, replay/, server/config.ts and server/roles/niceness.ts only; the sidecar runs as a process.', [
      'lib', 'db', 'data', 'replay', 'server/config.ts', 'server/roles/niceness.ts',
    ]),
  },
  {
    // Playwright specs see the web app through a browser only; they may start and seed their own stack.
    files: ['e2e/**/*.ts'],
    rules: contract('e2e/ never imports the web app (it is tested through the browser) or the tools.', ['lib', 'db', 'data', 'server', 'replay', 'tests/support']),
  },
  {
    // Folders whose casts and non-null assertions are all explained or typed away: every one but e2e/, which
    // joins when it is cleaned. Tests may assert what they set up.
    files: ['server/**/*.ts', 'db/**/*.ts', 'app/**/*.ts', 'app/**/*.tsx', 'watchdog/**/*.ts', 'data/**/*.ts', 'replay/**/*.ts', 'proxy.ts', 'lib/**/*.ts', 'lib/**/*.tsx', 'scripts/**/*.ts', 'bench/**/*.ts'],
    ignores: ['**/*.test.ts', 'db/generated/**'],
    rules: { 'valgvakt/explained-assertion': 'error' },
  },
  {
    files: ['**/*.test.ts', 'tests/**/*.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
