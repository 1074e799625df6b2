// Data tests: the compiled test query returns failing rows; dbt's wrapper counts them with
// `fail_calc` and compares the count with `warn_if` / `error_if` in SQL, exactly as dbt does.
import { invalidStoreFailuresAs, storesFailures } from '../graph/node-factory.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { stagingIdentifier, writeMain, type Materialization, type MaterializationContext } from './materialization.js';
import { testSummaryOutcome } from './test-result.js';

/** The query that turns failing rows into (failures, should_warn, should_error). */
export function testWrapperSql(ctx: Pick<MaterializationContext, 'node' | 'compiledSql' | 'adapter'>): string {
  const { failCalc, warnIf, errorIf, limit } = testConfig(ctx.node);
  const inner = limit === null ? ctx.compiledSql : ctx.adapter.sql.limit(ctx.compiledSql, limit);
  return [
    'select',
    `    ${failCalc} as failures,`,
    `    case when ${failCalc} ${warnIf} then true else false end as should_warn,`,
    `    case when ${failCalc} ${errorIf} then true else false end as should_error`,
    'from (',
    inner,
    ') dbt_internal_test',
  ].join('\n');
}

/** The test's fail_calc, warn_if, error_if and limit configs, with dbt's defaults. */
function testConfig(node: MaterializationContext['node']) {
  const { config } = node;
  return {
    failCalc: String(config.fail_calc ?? 'count(*)'),
    warnIf: String(config.warn_if ?? '!=0'),
    errorIf: String(config.error_if ?? '!=0'),
    limit: config.limit === undefined || config.limit === null ? null : Number(config.limit),
  };
}

/**
 * store_failures: the failing rows become a table or view (built beside the old one and swapped in,
 * like any relation) in the test's schema (`<target>_dbt_test__audit`), at most `limit` of them,
 * and the test counts them from there, as dbt does. The table is made with the test's config, as
 * dbt's get_create_sql makes it (PostgreSQL's `unlogged: true` makes an unlogged table).
 */
async function storeFailures(ctx: MaterializationContext, kind: 'table' | 'view'): Promise<string> {
  const { adapter, conn, node } = ctx;
  const id = node.unique_id;
  const target = ctx.relation.with({ type: kind });
  const staging = target.with({ identifier: stagingIdentifier(target.identifier) });
  // As dbt's test materialization, the `limit` config caps the rows stored, not only the ones counted.
  const { limit } = testConfig(node);
  const failingRows = limit === null ? ctx.compiledSql : adapter.sql.limit(ctx.compiledSql, limit);
  await adapter.createSchemaIfMissing(conn, node.database, node.schema);
  await conn.transaction(async (tx) => {
    await tx.execute(adapter.sql.dropRelation(staging, kind), { nodeId: id });
    await tx.execute(kind === 'view' ? await ctx.blocks.createViewAs(tx, staging, failingRows) : await ctx.blocks.createTableAs(tx, staging, failingRows), { nodeId: id });
    const existing = await adapter.getRelation(tx, { database: node.database, schema: node.schema, identifier: target.identifier });
    await adapter.replaceRelation(tx, staging, target, existing);
  });
  return `select * from ${target.render()}`;
}

export const materializeTest: Materialization = async (ctx) => {
  const invalid = invalidStoreFailuresAs(ctx.node.config, ctx.storeFailures ?? false);
  if (invalid !== null) {
    // dbt's test materialization, word for word (a Compilation Error of the test's node).
    throw new TsdbtError(`'${invalid}' is not a valid value for \`store_failures_as\`. Accepted values are: ['ephemeral', 'table', 'view']`, {
      code: 'store-failures-as-invalid',
    });
  }
  const stored = storesFailures(ctx.node.config, ctx.storeFailures ?? false);
  const compiledSql = stored ? await storeFailures(ctx, stored) : ctx.compiledSql;
  const summarySql = (await ctx.blocks.testSql(ctx.conn, compiledSql, testConfig(ctx.node))) ?? testWrapperSql({ ...ctx, compiledSql });
  writeMain(ctx, summarySql);
  const result = await ctx.conn.execute(summarySql, { nodeId: ctx.node.unique_id });
  const names = result.columns.length > 0 ? result.columns.map((c) => c.name) : Object.keys(result.rows[0] ?? {});
  const rows = result.rows.map((row) => names.map((name) => row[name]));
  // dbt's adapter_response is the summary query's own (dbt-postgres: `SELECT 1`, rows_affected 1).
  return { response: result.response, test: testSummaryOutcome(names, rows, ctx.node) };
};
