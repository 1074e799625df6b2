// `quote: true` on a column in a property file makes the built-in generic tests (not_null, unique,
// accepted_values, relationships) name it quoted, as dbt's parser passes `column_name` (dbt docs,
// resource property `quote`): a column called `from` (a keyword) or `UserId` (mixed case) is tested,
// on a model, a seed and a source. The failing rows prove each test reads the column.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtOnce } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'seeds/people.csv': 'id,from,UserId\n1,a,10\n2,,10\n3,c,30\n',
  'models/parents.sql': 'select 10 as "UserId" union all select 30\n',
  'models/moves.sql': 'select "from", "UserId" from {{ ref(\'people\') }}\n',
  'models/_props.yml': `version: 2
models:
  - name: moves
    columns:
      - name: from
        quote: true
        data_tests: [not_null, unique, {accepted_values: {arguments: {values: [a, c]}}}]
      - name: UserId
        quote: true
        data_tests:
          - unique
          - accepted_values: {arguments: {values: [10, 30], quote: false}}
          - relationships: {arguments: {to: ref('parents'), field: '"UserId"'}}
seeds:
  - name: people
    columns:
      - name: UserId
        quote: true
        data_tests: [not_null]
sources:
  - name: raw
    schema: "{{ target.schema }}"
    tables:
      - name: people
        columns:
          - name: from
            quote: true
            data_tests: [not_null]
`,
};

describe('quote: true on a column, in generic tests (PGlite)', () => {
  const built = builtOnce('pglite', FILES);
  const status = (name: string) => built.out.results.filter((r) => r.unique_id.startsWith(`test.demo.${name}.`)).map((r) => `${r.status} ${r.failures}`);

  it('tests the quoted column: each test passes or finds exactly the bad rows', () => {
    expect(built.out.output).not.toMatch(/syntax error|does not exist/);
    expect(status('not_null_moves__from_')).toEqual(['fail 1']);
    expect(status('unique_moves__from_')).toEqual(['pass 0']);
    expect(status('accepted_values_moves__from___a__c')).toEqual(['pass 0']);
    expect(status('unique_moves__UserId_')).toEqual(['fail 1']);
    expect(status('accepted_values_moves__UserId___False__10__30')).toEqual(['pass 0']);
    expect(status('relationships_moves__UserId____UserId___ref_parents_')).toEqual(['pass 0']);
    expect(status('not_null_people__UserId_')).toEqual(['pass 0']);
    expect(status('source_not_null_raw_people__from_')).toEqual(['fail 1']);
  });

  it('compiles `where "from" is null`, not a bare keyword', () => {
    const file = path.join(built.project.dir, 'target', 'compiled', 'demo', 'models', '_props.yml', 'not_null_moves__from_.sql');
    expect(readFileSync(file, 'utf8')).toMatch(/where "from" is null/);
  });
});

// dbt's `column.quote or (column.quote is None and target.quote_columns)`: a model entry's
// `quote_columns: true`, or a source's / table's `quoting: {column: true}`, quotes the column names
// its columns' tests get, unless the column says `quote: false` (dbt's TestQuotedSchemaTestColumns).
describe('quote_columns on an entry and quoting.column on a source, in generic tests (PGlite)', () => {
  const built = builtOnce('pglite', {
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'models/parents.sql': 'select 10 as "UserId" union all select null\n',
    'models/lowered.sql': 'select 1 as userid\n',
    'models/_props.yml': `version: 2
models:
  - name: parents
    quote_columns: true
    columns:
      - name: UserId
        data_tests: [not_null]
  - name: lowered
    quote_columns: true
    columns:
      - name: UserId
        quote: false
        data_tests: [not_null]
sources:
  - name: raw
    schema: "{{ target.schema }}"
    quoting: {column: true}
    tables:
      - name: parents
        columns:
          - name: UserId
            data_tests: [unique]
      - name: lowered
        quoting: {column: false}
        columns:
          - name: UserId
            data_tests: [unique]
`,
  });
  const status = (name: string) => built.out.results.filter((r) => r.unique_id.startsWith(`test.demo.${name}.`)).map((r) => `${r.status} ${r.failures}`);

  it('quotes where the entry says so and the column does not say otherwise', () => {
    expect(built.out.output).not.toMatch(/does not exist/);
    expect(status('not_null_parents__UserId_')).toEqual(['fail 1']);
    expect(status('not_null_lowered_UserId')).toEqual(['pass 0']);
    expect(status('source_unique_raw_parents__UserId_')).toEqual(['pass 0']);
    expect(status('source_unique_raw_lowered_UserId')).toEqual(['pass 0']);
  });
});
