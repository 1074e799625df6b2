// Data tests: the compiled test query returns failing rows; dbt's wrapper counts them with
// `fail_calc` and compares the count with `warn_if` / `error_if` in SQL, exactly as dbt does.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { storesFailures } from '../graph/node-factory.js';
import { stagingIdentifier, type Materialization, type MaterializationContext } from './materialization.js';

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
 * and the test counts them from there, as dbt does.
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
    await tx.execute(kind === 'view' ? await ctx.blocks.createViewAs(tx, staging, failingRows) : await ctx.blocks.createTableAs(tx, staging, failingRows, { config: {} }), { nodeId: id });
    const existing = await adapter.getRelation(tx, { database: node.database, schema: node.schema, identifier: target.identifier });
    await adapter.replaceRelation(tx, staging, target, existing);
  });
  return `select * from ${target.render()}`;
}

export const materializeTest: Materialization = async (ctx) => {
  const stored = storesFailures(ctx.node.config, ctx.storeFailures ?? false);
  const compiledSql = stored ? await storeFailures(ctx, stored) : ctx.compiledSql;
  const summarySql = (await ctx.blocks.testSql(ctx.conn, compiledSql, testConfig(ctx.node))) ?? testWrapperSql({ ...ctx, compiledSql });
  const result = await ctx.conn.execute(summarySql, { nodeId: ctx.node.unique_id });
  const row = result.rows[0];
  if (!row) {
    throw new TsdbtError(`test ${ctx.node.name} returned no summary row`, { code: 'test-no-result', category: 'internal' });
  }
  const failures = Number(row.failures ?? 0);
  const shouldWarn = testResultBool(row.should_warn);
  const shouldError = testResultBool(row.should_error);
  const severity = String(ctx.node.config.severity ?? 'error').toLowerCase();
  let status: 'pass' | 'warn' | 'fail' = 'pass';
  if (severity === 'error' && shouldError) status = 'fail';
  else if (shouldWarn) status = 'warn';
  return {
    // dbt's adapter_response is the summary query's own (dbt-postgres: `SELECT 1`, rows_affected 1).
    response: result.response,
    // dbt's build_test_run_result: a passing test reports 0 failures, however many rows it found
    // under its error_if / warn_if thresholds.
    test: { failures: status === 'pass' ? 0 : failures, status },
  };
};

/**
 * dbt's TestResultData.convert_bool_type for should_warn / should_error: text as Python's strtobool
 * reads it (anything else is dbt's BooleanError), any other value as Python's bool().
 */
export function testResultBool(value: unknown): boolean {
  if (typeof value !== 'string') return Boolean(value);
  const text = value.toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(text)) return true;
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(text)) return false;
  throw new TsdbtError(`Macro 'get_test_sql' returns '${value}'.  It is not type 'bool' and cannot not be converted reliably to a bool.`, {
    code: 'test-result-not-boolean',
    hint: "return should_warn and should_error as booleans (or 'true'/'false', 1/0) from the test's summary query",
  });
}
