// Model contracts (`contract: {enforced: true}`): before anything is built, the columns the model's
// SQL returns (names and types, read without running it) must equal the columns declared in its
// property file; the table is then created with the declared types and constraints and filled
// with an insert, as dbt-postgres does. A drifted model fails with every difference listed and
// leaves the existing relation untouched.
import type { ColumnInfo, ContractColumn, TableConstraint } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Constraint, ManifestNode } from '../manifest/types.js';
import { propertyLocation } from '../manifest/property-location.js';
import { contractColumnsOf, tableConstraint as toTableConstraint } from '../adapters/contract-columns.js';
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

function mismatchTable(rows: Mismatch[]): string {
  const header: Mismatch = { column: 'column_name', definition: 'definition_type', contract: 'contract_type', reason: 'mismatch_reason' };
  const all = [header, ...rows];
  const width = (k: keyof Mismatch) => Math.max(...all.map((r) => r[k].length));
  const widths = { column: width('column'), definition: width('definition'), contract: width('contract'), reason: width('reason') };
  return all.map((r) => `  | ${r.column.padEnd(widths.column)} | ${r.definition.padEnd(widths.definition)} | ${r.contract.padEnd(widths.contract)} | ${r.reason.padEnd(widths.reason)} |`).join('\n');
}

/** Checks the SQL against the contract; returns the declared columns in contract order. */
export async function assertContract(ctx: MaterializationContext): Promise<ContractColumn[]> {
  const { adapter, conn, node } = ctx;
  const location = propertyLocation(node);
  const declared = Object.values(node.columns);
  const untyped = declared.filter((c) => !c.data_type);
  if (declared.length === 0 || untyped.length > 0) {
    throw new TsdbtError(
      declared.length === 0
        ? `model '${node.name}' enforces a contract but declares no columns`
        : `model '${node.name}' enforces a contract, so every column needs a data_type (missing for: ${untyped.map((c) => c.name).join(', ')})`,
      { code: 'contract-incomplete', nodeId: node.unique_id, location, hint: 'list each column with `name:` and `data_type:` under the model in its property file' },
    );
  }
  const actual: ColumnInfo[] = await adapter.describeQuery(conn, ctx.compiledSql);
  const canon = (t: string) => adapter.sql.contractTypeKey(t);
  const mismatches: Mismatch[] = [];
  for (const column of declared) {
    const found = actual.find((a) => a.name === column.name);
    if (!found) mismatches.push({ column: column.name, definition: '', contract: String(column.data_type), reason: 'missing in definition' });
    else if (canon(found.dataType) !== canon(String(column.data_type))) mismatches.push({ column: column.name, definition: found.dataType, contract: String(column.data_type), reason: 'data type mismatch' });
  }
  for (const column of actual) {
    if (!declared.some((d) => d.name === column.name)) mismatches.push({ column: column.name, definition: column.dataType, contract: '', reason: 'missing in contract' });
  }
  if (mismatches.length) {
    throw new TsdbtError(`the SQL of model '${node.name}' does not match its enforced contract:\n${mismatchTable(mismatches)}`, {
      code: 'contract-mismatch',
      nodeId: node.unique_id,
      location,
      hint: 'change the model so it returns exactly the declared columns and types, or update the contract',
    });
  }
  return contractColumnsOf(node, ctx.renderRelation);
}

/** A constraint with its foreign key's `to: ref(...)` rendered to a relation. */
export function tableConstraint(ctx: MaterializationContext, constraint: Constraint): TableConstraint {
  return toTableConstraint(constraint, ctx.renderRelation);
}
