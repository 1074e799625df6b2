// Model contracts (`contract: {enforced: true}`): before anything is built, the columns the model's
// SQL returns (names and types, read without running it) must equal the columns declared in its
// property file; the table is then created with the declared types and constraints and filled
// with an insert, as dbt-postgres does. A drifted model fails with every difference listed and
// leaves the existing relation untouched.
import type { ColumnInfo, ContractColumn, TableConstraint } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { pyRepr } from '../jinja/engine/index.js';
import type { Constraint, ManifestNode } from '../manifest/types.js';
import { propertyLocation } from '../manifest/property-location.js';
import { contractColumnsOf, contractDataType, tableConstraint as toTableConstraint, translateType } from '../adapters/contract-columns.js';
import type { MaterializationContext } from './materialization.js';

export function contractEnforced(node: ManifestNode): boolean {
  const contract = node.config.contract as { enforced?: unknown } | undefined;
  return contract?.enforced === true;
}

interface Mismatch {
  column: string;
  definition: string;
  contract: string;
  reason: string;
}

/** The mismatches sorted by column name, as agate's print_table writes dbt's table of them. */
function mismatchTable(rows: Mismatch[]): string {
  const header: Mismatch = { column: 'column_name', definition: 'definition_type', contract: 'contract_type', reason: 'mismatch_reason' };
  const sorted = [...rows].sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
  const all = [header, ...sorted];
  const width = (k: keyof Mismatch) => Math.max(...all.map((r) => r[k].length));
  const widths = { column: width('column'), definition: width('definition'), contract: width('contract'), reason: width('reason') };
  const line = (r: Mismatch) => `| ${r.column.padEnd(widths.column)} | ${r.definition.padEnd(widths.definition)} | ${r.contract.padEnd(widths.contract)} | ${r.reason.padEnd(widths.reason)} |`;
  const rule = `| ${'-'.repeat(widths.column)} | ${'-'.repeat(widths.definition)} | ${'-'.repeat(widths.contract)} | ${'-'.repeat(widths.reason)} |`;
  return [line(header), rule, ...sorted.map(line)].join('\n');
}

/**
 * dbt's get_empty_schema_sql warns of contract columns typed `numeric`, `decimal` or `number` with
 * no precision or scale (the warehouse may round their values); a warning, so `--warn-error` makes
 * it the model's error.
 */
function warnNakedNumerics(ctx: Pick<MaterializationContext, 'warn'>, columns: { name: string; dataType: string }[]): void {
  const naked = columns.filter((c) => ['numeric', 'decimal', 'number'].includes(c.dataType.trim().toLowerCase())).map((c) => c.name);
  if (naked.length > 0) ctx.warn?.(`Detected columns with numeric type and unspecified precision/scale, this can lead to unintended rounding: ${pyRepr(naked)}\``);
}

/**
 * dbt-postgres's data_type_code_to_name fires TypeCodeNotFound (a debug event, through
 * warn_or_error) for each column whose type psycopg2 has no name for (money's 790).
 */
function reportUnrecognizedTypes(ctx: Pick<MaterializationContext, 'adapter' | 'debugOrError'>, dataTypes: string[]): void {
  for (const dataType of dataTypes) {
    const code = ctx.adapter.sql.unrecognizedTypeCode?.(dataType) ?? null;
    if (code !== null) {
      ctx.debugOrError?.(
        `The \`type_code\` ${code} was not recognized, which may affect error messages for enforced contracts that fail as well as \`Column.data_type\` values returned by \`get_column_schema_from_query\``,
        'TypeCodeNotFound',
      );
    }
  }
}

/** Checks the SQL against the contract; returns the declared columns in contract order. */
export async function assertContract(ctx: MaterializationContext): Promise<ContractColumn[]> {
  const { adapter, conn, node } = ctx;
  const location = propertyLocation(node);
  const declared = Object.values(node.columns);
  const untyped = declared.filter((c) => !c.data_type);
  if (declared.length === 0 || untyped.length > 0) {
    // dbt's wording: ContractError with no YAML columns, and ColumnTypeMissingError (a Python list of names)
    throw new TsdbtError(
      declared.length === 0
        ? "This model has an enforced contract, and its 'columns' specification is missing"
        : `Contracted models require data_type to be defined for each column. Please ensure that the column name and data_type are defined within the YAML configuration for the ${pyRepr(untyped.map((c) => c.name))} column(s).`,
      { code: 'contract-incomplete', nodeId: node.unique_id, location, hint: 'list each column with `name:` and `data_type:` under the model in its property file' },
    );
  }
  const actual: ColumnInfo[] = await adapter.describeQuery(conn, ctx.compiledSql);
  const labels = adapter.rules.columnTypes.typeLabels;
  // dbt's assert_columns_equivalent reads the model's columns, then (get_empty_schema_sql, which
  // warns of naked numerics) the declared ones, each column's type through data_type_code_to_name.
  reportUnrecognizedTypes(ctx, actual.map((c) => c.dataType));
  warnNakedNumerics(ctx, declared.map((c) => ({ name: c.name, dataType: String(c.data_type) })));
  reportUnrecognizedTypes(ctx, declared.map((c) => contractDataType(node, String(c.data_type), labels)));
  const canon = (t: string) => adapter.sql.contractTypeKey(t);
  // dbt-adapters' format_column shows each side's Column dtype: the driver's type name
  // (psycopg2's caster name on postgres) through the Column's TYPE_LABELS (STRING -> TEXT):
  // `INTEGER`, `TEXT`, `DATETIMETZ`, `STRINGARRAY`.
  const shown = (t: string) => translateType(adapter.sql.contractTypeName(t), labels);
  // dbt compares what its get_empty_schema_sql query returns, each declared name written bare
  // unless `quote: true`: named as the warehouse folds a bare name (PostgreSQL: `Id` is `id`).
  const declaredName = (c: (typeof declared)[number]) => (c.quote === true ? c.name : (adapter.sql.bareIdentifierName(c.name) ?? c.name));
  const mismatches: Mismatch[] = [];
  for (const column of declared) {
    const contract = contractDataType(node, String(column.data_type), labels);
    const name = declaredName(column);
    const found = actual.find((a) => a.name === name);
    if (!found) mismatches.push({ column: name, definition: '', contract: shown(contract), reason: 'missing in definition' });
    else if (canon(found.dataType) !== canon(contract)) mismatches.push({ column: name, definition: shown(found.dataType), contract: shown(contract), reason: 'data type mismatch' });
  }
  for (const column of actual) {
    if (!declared.some((d) => declaredName(d) === column.name)) mismatches.push({ column: column.name, definition: shown(column.dataType), contract: '', reason: 'missing in contract' });
  }
  if (mismatches.length) {
    throw new TsdbtError(`This model has an enforced contract that failed.\nPlease ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.\n\n${mismatchTable(mismatches)}`, {
      code: 'contract-mismatch',
      nodeId: node.unique_id,
      location,
      hint: 'change the model so it returns exactly the declared columns and types, or update the contract',
    });
  }
  const columns = contractColumnsOf(node, adapter.rules.columnTypes.typeLabels, ctx.renderRelation);
  // The adapter's warnings for the constraints it ignores (dbt's ConstraintNotSupported).
  const ignored = adapter.sql.unsupportedConstraints?.(columns, (node.constraints ?? []).map((c) => tableConstraint(ctx, c))) ?? [];
  for (const message of ignored) ctx.warn?.(message);
  return columns;
}

/** A constraint with its foreign key's `to: ref(...)` rendered to a relation. */
export function tableConstraint(ctx: MaterializationContext, constraint: Constraint): TableConstraint {
  return toTableConstraint(constraint, ctx.renderRelation);
}
