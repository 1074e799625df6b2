// A contracted table's DDL as dbt-adapters renders it (BaseAdapter.render_raw_columns_constraints,
// render_column_constraint, render_model_constraint; the global macros table_columns_and_constraints,
// default__get_column_names and default__get_select_subquery): column constraints never named;
// model constraints named only where the YAML names them; the insert's select in parentheses. Where
// dbt writes a YAML name as it is (unless `quote: true`), tsdbt quotes it as the warehouse folds the
// bare name (PostgreSQL here: `Color` -> `"color"`, the column dbt's bare `Color` makes), and any name
// that is not a plain identifier as written, so a file's text never becomes SQL.
import { describe, expect, it } from 'vitest';
import { contractColumnList, contractInsert } from './contract-ddl.js';
import type { ContractColumn, TableConstraint } from './sql-builders.js';

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** PostgreSQL's: a plain identifier folds to lower case; `quote: true` and other names stay as written. */
const quote = (name: string, quoted: boolean) => quoteIdentifier(!quoted && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name.toLowerCase() : name);

describe('contract DDL', () => {
  it("renders dbt's column constraints: folded names quoted, no constraint names, expressions after the keyword", () => {
    const columns: ContractColumn[] = [
      {
        name: 'id',
        dataType: 'integer',
        constraints: [
          { type: 'not_null' },
          { type: 'primary_key', name: 'ignored_pk' },
          { type: 'check', expression: '(id > 0)' },
          { type: 'foreign_key', references: { relation: '"db"."s"."parent"', columns: ['id'] } },
          { type: 'unique', name: 'ignored_unique' },
        ],
      },
      { name: 'Color', dataType: 'text', constraints: [] },
      { name: 'from', dataType: 'text', constraints: [{ type: 'not_null' }], quote: true },
    ];
    expect(contractColumnList(columns, [], quote)).toBe(
      '(\n    "id" integer not null primary key check ((id > 0)) references "db"."s"."parent" ("id") unique,\n    "color" text,\n    "from" text not null\n)',
    );
  });

  it("renders dbt's model constraints, named only where the YAML names them", () => {
    const columns: ContractColumn[] = [
      { name: 'id', dataType: 'integer', constraints: [] },
      { name: 'color', dataType: 'text', constraints: [] },
      { name: 'date_day', dataType: 'text', constraints: [] },
    ];
    const constraints: TableConstraint[] = [
      { type: 'check', expression: '(id > 0)', columns: [] },
      { type: 'primary_key', columns: ['id'] },
      { type: 'unique', name: 'strange_uniqueness_requirement', columns: ['color', 'date_day'] },
      { type: 'foreign_key', columns: ['id'], references: { relation: '"s"."parent"', columns: ['id'] } },
      { type: 'foreign_key', columns: ['id'], expression: '"s"."other" (id)' },
      { type: 'custom', name: 'c1', expression: 'exclude using gist (id with =)' },
      { type: 'not_null', columns: ['color'] },
    ];
    expect(contractColumnList(columns, constraints, quote)).toBe(
      [
        '(',
        '    "id" integer,',
        '    "color" text not null,',
        '    "date_day" text,',
        '    check ((id > 0)),',
        '    primary key ("id"),',
        '    constraint "strange_uniqueness_requirement" unique ("color", "date_day"),',
        '    foreign key ("id") references "s"."parent" ("id"),',
        '    foreign key ("id") references "s"."other" (id),',
        '    constraint "c1" exclude using gist (id with =)',
        ')',
      ].join('\n'),
    );
  });

  it("fills the table with dbt's insert: the declared names, the model's select in parentheses", () => {
    const columns: ContractColumn[] = [
      { name: 'id', dataType: 'integer', constraints: [] },
      { name: 'from', dataType: 'text', constraints: [], quote: true },
    ];
    const text = contractInsert('"db"."s"."t"', columns, 'select 1 as id', quote);
    expect(text.replace(/\s+/g, ' ')).toBe('insert into "db"."s"."t" ( "id", "from" ) ( select "id", "from" from ( select 1 as id ) as model_subq )');
  });

  it('quotes a name that is not a plain identifier as written, so it cannot end the statement', () => {
    const columns: ContractColumn[] = [{ name: 'x integer); drop table t; --', dataType: 'text', constraints: [] }];
    const constraints: TableConstraint[] = [{ type: 'unique', name: 'u"; drop', columns: ['x integer); drop table t; --'] }];
    expect(contractColumnList(columns, constraints, quote)).toBe(
      '(\n    "x integer); drop table t; --" text,\n    constraint "u""; drop" unique ("x integer); drop table t; --")\n)',
    );
  });
});
