// The string enums dbt hands templates as enum members (dbt_common's StrEnum, a `str` with
// `.value` and `.name`), with dbt 1.11's members: a result's `status` (RunStatus, TestStatus,
// FreshnessStatus: dbt/artifacts/schemas/results.py), the node objects of on-run-end's
// `results` (`resource_type`: NodeType, a model's `access`: AccessType,
// dbt/artifacts/resources/types.py) and a source's freshness `period` (TimePeriod). What dbt
// hands as dicts (`model`, `graph`, `to_dict()`) holds their strings, as here.
import { defineStrEnum, type StrEnumType } from '../engine/index.js';

export const RunStatus = defineStrEnum('RunStatus', {
  Success: 'success', Error: 'error', Skipped: 'skipped', PartialSuccess: 'partial success', NoOp: 'no-op',
});

export const TestStatus = defineStrEnum('TestStatus', { Pass: 'pass', Error: 'error', Fail: 'fail', Warn: 'warn', Skipped: 'skipped' });

export const FreshnessStatus = defineStrEnum('FreshnessStatus', { Pass: 'pass', Warn: 'warn', Error: 'error', RuntimeErr: 'runtime error' });

/** dbt's NodeStatus, the members every status enum takes its values from. */
export const NodeStatus = defineStrEnum('NodeStatus', {
  Success: 'success', Error: 'error', Fail: 'fail', Warn: 'warn', Skipped: 'skipped',
  PartialSuccess: 'partial success', Pass: 'pass', RuntimeErr: 'runtime error', NoOp: 'no-op',
});

export const NodeType = defineStrEnum('NodeType', {
  Model: 'model', Analysis: 'analysis', Test: 'test', Snapshot: 'snapshot', Operation: 'operation', Seed: 'seed',
  RPCCall: 'rpc', SqlOperation: 'sql_operation', Documentation: 'doc', Source: 'source', Macro: 'macro',
  Exposure: 'exposure', Metric: 'metric', Group: 'group', SavedQuery: 'saved_query', SemanticModel: 'semantic_model',
  Unit: 'unit_test', Fixture: 'fixture', Function: 'function',
});

export const AccessType = defineStrEnum('AccessType', { Private: 'private', Protected: 'protected', Public: 'public' });

export const TimePeriod = defineStrEnum('TimePeriod', { minute: 'minute', hour: 'hour', day: 'day' });

/** dbt-adapters' RelationType (contracts/relation.py): a relation's `type` once it has one. */
export const RelationType = defineStrEnum('RelationType', {
  Table: 'table', View: 'view', CTE: 'cte', MaterializedView: 'materialized_view', Ephemeral: 'ephemeral',
  External: 'external', PointerTable: 'pointer_table', Function: 'function',
});

/** `value` as a member of `enumeration` when it is one of its values, else `value` unchanged. */
export function asMember(enumeration: StrEnumType, value: unknown): unknown {
  return typeof value === 'string' ? (enumeration.of(value) ?? value) : value;
}

/**
 * A result's status as dbt's result object has it: a test's (and unit test's) a TestStatus, a
 * source freshness check's a FreshnessStatus, any other node's a RunStatus (a value outside the
 * enum, NodeStatus's member).
 */
export function resultStatus(status: string, resourceType: string | undefined): unknown {
  const enumeration = resourceType === 'test' || resourceType === 'unit_test' ? TestStatus : resourceType === 'source' ? FreshnessStatus : RunStatus;
  return enumeration.of(status) ?? asMember(NodeStatus, status);
}
