// ESLint flat config: type-aware rules, and DESIGN.md rule 2 enforced —
// database drivers may only be imported inside src/adapters/.
import tseslint from 'typescript-eslint';

const driverImports = {
  paths: [
    { name: 'pg', message: 'Database drivers live in src/adapters/ only (DESIGN.md rule 2).' },
    { name: 'pg-copy-streams', message: 'Database drivers live in src/adapters/ only (DESIGN.md rule 2).' },
    { name: '@electric-sql/pglite', message: 'Database drivers live in src/adapters/ only (DESIGN.md rule 2).' },
    { name: '@clickhouse/client', message: 'Database drivers live in src/adapters/ only (DESIGN.md rule 2).' },
    { name: 'chdb', message: 'Database drivers live in src/adapters/ only (DESIGN.md rule 2).' },
    { name: 'chdb/connection', message: 'Database drivers live in src/adapters/ only (DESIGN.md rule 2).' },
  ],
};

// What only an adapter may know (ARCHITECTURE.md, "Where the dialect lives"): outside src/adapters/
// no code names a dialect, spells a warehouse's own type names, or reads its error codes; it asks
// the adapter (Adapter.rules, Adapter.queries, SqlBuilders, capabilities, dispatchPrefixes).
const DIALECT_NAME = /^(postgres|pglite|clickhouse|chdb)$/;
const DIALECT_PREFIX = /(^|[^a-z])(postgres|pglite|clickhouse|chdb|sqlstate)(__|-[0-9A-Z]|-$)/i;
const WAREHOUSE_TYPE = /^(Nullable|LowCardinality|U?Int(8|16|32|64|128|256)|Float(32|64)|Decimal(32|64|128|256)|DateTime64|DateTime\(|Date32|timestamptz|timestamp (with|without) time zone|double precision|character varying|int[248]|float[48])\b/;
const WAREHOUSE_PATTERN = /sqlstate|clickhouse|timestamptz|datetime64|nullable|lowcardinality|with time zone/i;
const dialectKnowledge = [
  { selector: `Literal[value=${DIALECT_NAME}]`, message: 'A dialect name outside src/adapters/: ask the adapter (capabilities, rules, queries, dispatchPrefixes) instead of testing which one it is.' },
  { selector: `Literal[value=${DIALECT_PREFIX}]`, message: 'A dialect-prefixed name (macro or error code) outside src/adapters/: use the dialect\'s dispatchPrefixes or Adapter.rules.' },
  { selector: `TemplateElement[value.raw=${DIALECT_PREFIX}]`, message: 'A dialect-prefixed name (macro or error code) outside src/adapters/: use the dialect\'s dispatchPrefixes or Adapter.rules.' },
  { selector: `Literal[value=${WAREHOUSE_TYPE}]`, message: 'A warehouse type name outside src/adapters/: use SqlBuilders.typeFor / canonicalType or Adapter.rules.' },
  { selector: `Literal[regex.pattern=${WAREHOUSE_PATTERN}]`, message: 'A pattern over warehouse type names or error codes outside src/adapters/: put it in the adapter (Adapter.rules).' },
  { selector: "BinaryExpression[operator=/^[!=]==?$/] > MemberExpression[property.name='type'][object.name=/^(adapter|target|dialect)$/]", message: 'Branching on the adapter type outside src/adapters/: ask the adapter.' },
  { selector: "BinaryExpression[operator=/^[!=]==?$/] > MemberExpression[property.name='type'][object.property.name=/^(adapter|target|dialect)$/]", message: 'Branching on the adapter type outside src/adapters/: ask the adapter.' },
  { selector: "SwitchStatement > MemberExpression.discriminant[property.name='type'][object.name=/^(adapter|target|dialect)$/]", message: 'Branching on the adapter type outside src/adapters/: ask the adapter.' },
];
// Statements core code needs come from the adapter (SqlBuilders, Adapter.queries); these folders
// write none of their own.
const SQL_STATEMENT = /^\s*(select|insert into|delete from|update \S+ set|create (or replace )?(temporary )?(table|view|schema)|alter table|drop (table|view|schema))\s/i;
const sqlText = [
  { selector: `Literal[value=${SQL_STATEMENT}]`, message: 'SQL text in core code: ask the adapter (SqlBuilders, Adapter.queries), whose dialect writes it.' },
  { selector: `TemplateElement[value.raw=${SQL_STATEMENT}]`, message: 'SQL text in core code: ask the adapter (SqlBuilders, Adapter.queries), whose dialect writes it.' },
];

// jinja/pylib/: one folder per emulated Python module (datetime, re, pytz, ...); code outside a
// module reaches it only through its entry module, index.ts (ARCHITECTURE.md, "jinja/").
const PYLIB_ENTRY = 'A pylib module is imported through its entry module (pylib/<module>/index.js), not its inner files.';
const pylibFromOutside = { regex: '/pylib/[^/]+/(?!index\\.js$)[^/]+$', message: PYLIB_ENTRY };
const pylibFromSibling = { regex: '^\\.\\./(?!\\.\\.?/)[^/]+/(?!index\\.js$)[^/]+$', message: PYLIB_ENTRY };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'target/**', 'bench/out/**', 'test/.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    ignores: ['src/adapters/**'],
    rules: { 'no-restricted-imports': ['error', { ...driverImports, patterns: [pylibFromOutside] }] },
  },
  {
    files: ['src/jinja/pylib/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { ...driverImports, patterns: [pylibFromSibling] }] },
  },
  {
    files: ['src/adapters/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [pylibFromOutside] }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/adapters/**', 'src/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...dialectKnowledge] },
  },
  {
    files: ['src/loader/**/*.ts', 'src/schedule/**/*.ts', 'src/artifacts/**/*.ts', 'src/docs/**/*.ts', 'src/time/**/*.ts', 'src/freshness/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...dialectKnowledge, ...sqlText] },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
