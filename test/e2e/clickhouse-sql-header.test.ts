// dbt-clickhouse sends a model's `sql_header` in front of its statement, as one query
// (materializations/table.sql, view.sql): a header ending in `;` makes two statements, which
// ClickHouse refuses ("Multi-statements are not allowed"); chDB would run them, so tsdbt refuses them
// as the server does. `show` puts the header in front of the query as dbt's get_show_sql writes it,
// with no `;` added (a header that opens a CTE, as dbt-tests-adapter's BaseShowSqlHeader).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';
import { showCommand } from '../../src/app/show-command.js';
import { testInvocation } from '../support/test-invocation.js';
import { secondStatementAt } from '../../src/adapters/clickhouse/clickhouse-multi-statement.js';

const HEADED_TABLE = `{{ config(materialized='table') }}
{% call set_sql_header(config) %}
set log_comment = 'TEST_LOG_COMMENT';
{%- endcall %}
select getSetting('log_comment') as column_name
`;

const CTE_HEADER = `{% call set_sql_header(config) %}
with _variables as (
    select 1 as my_variable
)
{%- endcall %}
select my_variable from _variables
`;

describe('sql_header on ClickHouse as dbt-clickhouse sends it', () => {
  let ch: WarehouseProject;
  beforeAll(() => {
    ch = warehouseProject('chdb', { 'models/headed.sql': HEADED_TABLE, 'models/cte_header.sql': CTE_HEADER });
  });
  afterAll(async () => {
    await ch.cleanup();
  });

  it('fails a header ending in `;` with ClickHouse\'s multi-statement error', async () => {
    const out = await ch.run('run', { select: ['headed'] });
    expect(out.code).toBe(1);
    expect(out.output).toContain('Multi-statements are not allowed');
    const tables = await ch.sql(`select name from system.tables where database = '${ch.schema}' and name = 'headed'`);
    expect(tables).toEqual([]);
  });

  it('shows a model whose header opens a CTE (no `;` added after the header)', async () => {
    const { inv, lines } = testInvocation(ch.dir, { select: ['cte_header'] });
    const code = await showCommand(inv, { limit: 5, output: 'json' });
    const output = lines.join('\n');
    expect(code, output).toBe(0);
    expect(JSON.parse(output.slice(output.indexOf('{')))).toEqual({ node: 'cte_header', show: [{ my_variable: 1 }] });
  });
});

describe('secondStatementAt', () => {
  it('finds a second statement outside quotes and comments, and allows a trailing `;`', () => {
    expect(secondStatementAt('set a = 1;\nselect 1')).toBe(9);
    expect(secondStatementAt('select 1;')).toBeNull();
    expect(secondStatementAt('select 1;\n-- done\n/* c */ ')).toBeNull();
    expect(secondStatementAt("select 'a;b', \"x;\", `y;` -- z; w\n")).toBeNull();
    expect(secondStatementAt("select 'it''s; \\' ;'")).toBeNull();
  });
});
