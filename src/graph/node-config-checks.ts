// Checks dbt makes of a node's final config when it builds the node (its config classes'
// `validate` and `__post_init__`), and the node-level `docs` that follows the config:
// - a seed, data test or snapshot keeps its own materialization: dbt refuses `materialized: table`
//   on them ("A seed must have a materialized value of 'seed'"), wherever it was set;
// - `docs.node_color` is an HTML color name or a hex code ("#abc", "#aabbcc"), or dbt refuses it
//   (so the docs site never gets a color it cannot draw);
// - a snapshot has a strategy and a unique_key, check_cols for `check`, updated_at for `timestamp`
//   (dbt's SnapshotConfig.validate, at parse: `compile` refuses a snapshot without a strategy);
// - the node's `docs` takes the config's `docs` (dbt's parser/base.py: `show`, and `node_color`);
// - an incremental model with an enforced contract sets on_schema_change to append_new_columns or
//   fail (dbt's NodeConfig.__post_init__: a contract cannot follow `ignore` or `sync_all_columns`);
// - `enabled` is a boolean ("'True and False' is not of type 'boolean'"), the other typed fields
//   of dbt's NodeConfig have their types (config-types.ts);
// - a data test's `store_failures` and `store_failures_as` are made to agree, as dbt's
//   TestConfig.finalize_and_validate does: `store_failures_as` unset follows `store_failures`
//   (true: table, false: ephemeral), and when set it decides `store_failures` (ephemeral: false);
// - a model's `freshness.build_after` has both `count` and `period`, or neither.
import colorNames from 'color-name';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ManifestNode } from '../manifest/types.js';
import { configTypeError } from './config-types.js';

/** The materialization each of these resource types must keep. */
const OWN_MATERIALIZATION: Readonly<Record<string, string>> = { seed: 'seed', test: 'test', snapshot: 'snapshot' };

const HEX_COLOR = /^#(?:[0-9a-f]{3}){1,2}$/i;

/** dbt's validate_color: a hex code of 3 or 6 digits, or an HTML color name (any case). */
export function isValidNodeColor(color: string): boolean {
  return HEX_COLOR.test(color) || Object.hasOwn(colorNames, color.toLowerCase());
}

function configError(node: ManifestNode, message: string, hint: string): TsdbtError {
  return new TsdbtError(`${node.resource_type} '${node.name}': ${message}`, { code: 'project-invalid', location: { file: node.original_file_path, line: node.line }, hint });
}

/**
 * `enabled` as a boolean: absent is true, `"true"` / `"false"` (any case, as a rendered var may
 * give) are the booleans, a number is its truth; any other value is returned as is, for
 * enabledError to refuse as dbt's config schema does ("'True and False' is not of type 'boolean'").
 */
export function enabledFlag(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return true;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string' && /^\s*(true|false)\s*$/i.test(value)) return value.trim().toLowerCase() === 'true';
  return value;
}

/** The error for an `enabled` enabledFlag could not read, or null. */
export function enabledError(value: unknown, what: string, location: { file: string; line?: number }): TsdbtError | null {
  if (typeof value === 'boolean') return null;
  return new TsdbtError(`${what}: invalid config enabled: ${JSON.stringify(value).replace(/^"(.*)"$/, "'$1'")} is not of type 'boolean'`, {
    code: 'project-invalid',
    location,
    hint: 'write `enabled: true` or `enabled: false` (Jinja that renders to one of them works too), in dbt_project.yml, the property file or the config() call',
  });
}

/** The first config value dbt would refuse on this node, or null. */
export function nodeConfigError(node: ManifestNode): TsdbtError | null {
  // Checked here first: the error's text and location are made only for a value that fails (30,000 nodes).
  if (typeof node.config.enabled !== 'boolean') return enabledError(node.config.enabled, `${node.resource_type} '${node.name}'`, { file: node.original_file_path, line: node.line });
  const typed = configTypeError(node);
  if (typed) return typed;
  const own = OWN_MATERIALIZATION[node.resource_type];
  const materialized = node.config.materialized;
  if (own !== undefined && materialized !== undefined && materialized !== null && materialized !== own) {
    const kind = node.resource_type === 'test' ? 'data test' : node.resource_type;
    return configError(
      node,
      `a ${kind} must have a materialized value of '${own}' (got '${String(materialized)}')`,
      `remove \`materialized\` for ${kind}s (in dbt_project.yml, the property file or the config() call)`,
    );
  }
  if (node.resource_type === 'snapshot') {
    const error = snapshotConfigError(node);
    if (error) return error;
  }
  const contract = node.config.contract as { enforced?: unknown } | undefined;
  const onSchemaChange = node.config.on_schema_change ?? 'ignore';
  if (contract?.enforced === true && materialized === 'incremental' && onSchemaChange !== 'append_new_columns' && onSchemaChange !== 'fail') {
    return configError(
      node,
      `Invalid value for on_schema_change: ${String(onSchemaChange)}. Models materialized as incremental with contracts enabled must set on_schema_change to 'append_new_columns' or 'fail'`,
      "set on_schema_change='append_new_columns' (or 'fail') on the model, or stop enforcing its contract",
    );
  }
  if (node.resource_type === 'model') {
    const error = modelFreshnessError(node);
    if (error) return error;
  }
  for (const docs of [node.config.docs, node.docs]) {
    const color = (docs as { node_color?: unknown } | undefined)?.node_color;
    if (color === undefined || color === null || color === '') continue;
    if (typeof color !== 'string' || !isValidNodeColor(color)) {
      return configError(
        node,
        `invalid color name for docs.node_color: ${String(color)}. It is neither a valid HTML color name nor a valid HEX code`,
        'use an HTML color name (e.g. purple) or a hex code (e.g. "#121212", quoted in YAML)',
      );
    }
  }
  return null;
}

/**
 * dbt's ModelConfig.__post_init__: a model's `freshness.build_after` gives `count` and `period`
 * together (a count of 0 is a count). A `freshness` without `build_after` is dropped, as dbt's
 * __pre_deserialize__ does, so it is never checked.
 */
function modelFreshnessError(node: ManifestNode): TsdbtError | null {
  const freshness = node.config.freshness as { build_after?: unknown } | null | undefined;
  const after = typeof freshness === 'object' && freshness !== null ? freshness.build_after : undefined;
  if (typeof after !== 'object' || after === null) return null;
  const { count, period } = after as { count?: unknown; period?: unknown };
  const hasCount = count !== undefined && count !== null;
  const hint = "give build_after both, e.g. `build_after: {count: 1, period: day}`, or neither (then it only sets updates_on)";
  if (period && !hasCount) return configError(node, '`freshness.build_after` must have a value for `count` if a `period` is provided', hint);
  if (hasCount && !period) return configError(node, '`freshness.build_after` must have a value for `period` if a `count` is provided', hint);
  return null;
}

/** dbt's SnapshotConfig.validate, in its words: what every snapshot's strategy needs. */
function snapshotConfigError(node: ManifestNode): TsdbtError | null {
  const c = node.config;
  const fail = (message: string, hint: string) => configError(node, message, hint);
  if (!c.strategy || !c.unique_key) return fail("Snapshots must be configured with a 'strategy' and 'unique_key'.", "add strategy='timestamp' (with updated_at) or 'check' (with check_cols), and unique_key, to the snapshot's config");
  if (c.strategy === 'check') {
    if (!c.check_cols) return fail('A snapshot configured with the check strategy must specify a check_cols configuration.', "add check_cols=['status'] or check_cols='all'");
    if (typeof c.check_cols === 'string' && c.check_cols !== 'all') return fail(`Invalid value for 'check_cols': ${c.check_cols}. Expected 'all' or a list of strings.`, "write check_cols='all' or a list: check_cols=['status']");
  } else if (c.strategy === 'timestamp' && !c.updated_at) {
    return fail('A snapshot configured with the timestamp strategy must specify an updated_at configuration.', "add updated_at='updated_at' (the column that changes with each update)");
  }
  return null;
}

/** dbt's last step of a node's config at parse: the node's docs follow it, a test's store_failures pair agrees. */
export function finalizeNodeConfig(node: ManifestNode): void {
  applyConfigDocs(node);
  if (node.resource_type === 'test') agreeStoreFailures(node);
}

function agreeStoreFailures(node: ManifestNode): void {
  const { store_failures: storeFailures, store_failures_as: storeAs } = node.config;
  if (storeAs === undefined || storeAs === null) {
    if (storeFailures === true || storeFailures === false) node.config = { ...node.config, store_failures_as: storeFailures ? 'table' : 'ephemeral' };
  } else {
    node.config = { ...node.config, store_failures: storeAs !== 'ephemeral' };
  }
}

/**
 * The node's `docs` with the config's `docs` over it, as dbt merges them when it parses the node
 * (parser/base.py: `Docs(show=...)`, whose node_color is None unless the config's `docs` names
 * one); the config's `docs` is dbt's Docs too, both fields written.
 */
function applyConfigDocs(node: ManifestNode): void {
  const docs = node.config.docs as { show?: unknown; node_color?: unknown } | undefined;
  if (typeof docs !== 'object' || docs === null || Object.keys(docs).length === 0) return;
  const show = typeof docs.show === 'boolean' ? docs.show : node.docs.show;
  const nodeColor = typeof docs.node_color === 'string' ? docs.node_color : null;
  node.docs = { show, node_color: nodeColor };
  node.config = { ...node.config, docs: { show: typeof docs.show === 'boolean' ? docs.show : true, node_color: nodeColor } };
}
