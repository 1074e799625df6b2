// The `results` on-run-end hooks get, as dbt's result objects: a RunResult (or a source freshness
// check's SourceFreshnessResult) with its `node`, `timing` entries, dbt's enums (`status`,
// `node.resource_type`: jinja/dbt/dbt-enums.ts) and `to_dict()`, which gives the strings the
// artifacts hold (Elementary's dbt_object_to_dict calls it on each).
import { nodeJson, sourceJson } from '../artifacts/resource-json.js';
import { dbtConfigObject } from '../artifacts/config-defaults.js';
import type { FreshnessResult } from '../artifacts/sources-writer.js';
import { AccessType, FreshnessStatus, NodeType, TimePeriod, asMember, resultStatus } from '../jinja/dbt/dbt-enums.js';
import { PyDatetime } from '../jinja/pylib/datetime/index.js';
import { isHookResult, type NodeResult, type TimingInfo } from '../manifest/results.js';
import type { Manifest } from '../manifest/types.js';

/**
 * `value` with dbt's `to_dict()` (not enumerated, so `items()` and `tojson` do not list it). dbt's
 * to_dict serializes, so each call gives a new dict a hook may change (Elementary's flatten_test
 * updates `node.meta` of `result.node.to_dict()`): the dict `toDict` gives is copied each call,
 * as the node's JSON shares its config and meta with the manifest (frozen, graph/shared-configs.ts).
 */
function withToDict<T extends object>(value: T, toDict: () => unknown): T {
  return Object.defineProperty(value, 'to_dict', { value: () => freshCopy(toDict()), enumerable: false });
}

/** A copy of `value` whose plain objects and arrays are all new (other values, as datetimes, kept). */
function freshCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(freshCopy);
  if (value === null || typeof value !== 'object') return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) copy[key] = freshCopy(child);
  return copy;
}

/**
 * A timing entry as dbt's TimingInfo: `started_at`/`completed_at` are naive UTC datetimes (dbt's
 * `datetime.now(timezone.utc).replace(tzinfo=None)`), so a hook can subtract them or call
 * `isoformat()`; `to_dict()` gives the strings run_results.json holds.
 */
function timingObject(t: TimingInfo): TimingInfo {
  const at = (iso: string): PyDatetime | null => (iso ? new PyDatetime(new Date(iso), null) : null);
  const object = { name: t.name, started_at: at(t.started_at), completed_at: at(t.completed_at) };
  return withToDict(object, () => ({ ...t })) as unknown as TimingInfo;
}

/**
 * dbt's CompiledResource fields of a node never compiled (a skipped node, a microbatch model):
 * its object has them (compiled False, compiled_code None), though `to_dict()` and the artifacts
 * leave them out (CompiledResource.__post_serialize__). dbt's CompiledNode types: not a seed
 * (SeedNode) nor a unit test that did not run (its result's node is then the UnitTestDefinition;
 * one that ran gives the compiled UnitTestNode: unitTestCompiled).
 */
const COMPILED_NODE_TYPES: ReadonlySet<string> = new Set(['model', 'test', 'snapshot', 'analysis', 'operation', 'sql_operation', 'function']);
const uncompiledFields = () => ({ compiled_path: null, compiled: false, compiled_code: null, extra_ctes_injected: false, extra_ctes: [] });

/**
 * A result's node as dbt's node object: its config a config object (every dbt field, and None for
 * any other key), its `resource_type` a NodeType and a model's `access` an AccessType (dbt's enums,
 * `node.resource_type.value`), as `to_dict()` gives them as strings.
 */
function resultNodeObject(json: Record<string, unknown>): Record<string, unknown> {
  const config = json.config as Record<string, unknown>;
  const uncompiled = COMPILED_NODE_TYPES.has(String(json.resource_type)) && !('compiled' in json) ? uncompiledFields() : null;
  const object = Object.assign({}, uncompiled, json, { resource_type: asMember(NodeType, json.resource_type), config: dbtConfigObject(config) });
  if ('access' in json) {
    object.access = asMember(AccessType, json.access);
    object.config = dbtConfigObject(Object.assign({}, config, { access: asMember(AccessType, config.access) }));
  }
  return object;
}

/**
 * A unit test that ran: dbt's result node is the UnitTestNode it compiled (test.py
 * build_unit_test_run_result), compiled, with the unit test's SQL as its compiled_code, as
 * run_results.json has it; the definition tsdbt's manifest holds is never compiled.
 */
function unitTestCompiled(resourceType: string, r: NodeResult): Record<string, unknown> | null {
  return resourceType === 'unit_test' && typeof r.compiled_code === 'string' && r.compiled_code !== '' ? { compiled: true, compiled_code: r.compiled_code } : null;
}

/**
 * on-run-end's `results` of a build: each result but the hooks that did not fail, its node the
 * manifest's node, its config a config object (every dbt field, and None for any other key).
 */
export function nodeTemplateResults(results: NodeResult[], manifest: Manifest): unknown[] {
  return results
    .filter((r) => !isHookResult(r) || r.status === 'error')
    .map((r) => {
      const node = manifest.nodes[r.unique_id];
      const json = node ? Object.assign(nodeJson(node), unitTestCompiled(node.resource_type, r)) : null;
      const timing = r.timing.map(timingObject);
      const nodeObject = json ? withToDict(resultNodeObject(json), () => json) : null;
      const status = resultStatus(r.status, node?.resource_type);
      return withToDict({ ...r, status, timing, node: nodeObject }, () => ({ ...r, timing: r.timing.map((t) => ({ ...t })), node: json }));
    });
}

/** A source's freshness criterion with its `period` a TimePeriod, as dbt's Time object has it. */
function timeObject(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const time = value as Record<string, unknown>;
  return Object.assign({}, time, { period: asMember(TimePeriod, time.period) });
}

/**
 * on-run-end's `results` of `source freshness`: dbt's SourceFreshnessResult for each source,
 * `status` a FreshnessStatus, `node` the source (its `resource_type` NodeType.Source),
 * `max_loaded_at` / `snapshotted_at` aware UTC datetimes and `age` seconds; a source whose
 * check failed is dbt's PartialSourceFreshnessResult (`runtime error`, the error as `message`).
 */
export function freshnessTemplateResults(results: FreshnessResult[], manifest: Manifest): unknown[] {
  return results.map((r) => {
    const source = manifest.sources[r.unique_id];
    const json = source ? sourceJson(source) : null;
    const freshness = json?.freshness as Record<string, unknown> | null | undefined;
    const nodeObject = json
      ? withToDict(
          Object.assign({}, json, {
            resource_type: asMember(NodeType, json.resource_type),
            config: dbtConfigObject((json.config ?? {}) as Record<string, unknown>),
            ...(freshness ? { freshness: Object.assign({}, freshness, { warn_after: timeObject(freshness.warn_after), error_after: timeObject(freshness.error_after) }) } : {}),
          }),
          () => json,
        )
      : null;
    const common = {
      status: FreshnessStatus.of(r.status) ?? r.status,
      timing: r.timing.map(timingObject),
      thread_id: r.thread_id,
      execution_time: r.execution_time,
      adapter_response: r.adapter_response,
      message: r.error ?? null,
      failures: null,
      node: nodeObject,
    };
    const dict = {
      status: r.status, timing: r.timing.map((t) => ({ ...t })), thread_id: r.thread_id, execution_time: r.execution_time,
      adapter_response: r.adapter_response, message: r.error ?? null, failures: null, node: json,
    };
    if (r.status === 'runtime error') return withToDict(common, () => dict);
    const at = (iso: string | null) => (iso ? new PyDatetime(new Date(iso), 'UTC') : null);
    const extra = { max_loaded_at: at(r.max_loaded_at), snapshotted_at: at(r.snapshotted_at), age: r.max_loaded_at_time_ago_in_s };
    return withToDict(Object.assign(common, extra), () => Object.assign(dict, { max_loaded_at: r.max_loaded_at, snapshotted_at: r.snapshotted_at, age: r.max_loaded_at_time_ago_in_s }));
  });
}
