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

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'target/**', 'bench/out/**', 'test/.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    ignores: ['src/adapters/**'],
    rules: { 'no-restricted-imports': ['error', driverImports] },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
