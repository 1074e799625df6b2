// What the relations a Compiler's renders name are: a node's own (`this`, a ref to it; ephemeral
// ones are CTE names), under `--defer` the state's, and the inputs as a command reads them:
// filtered to a microbatch batch's or `--sample`'s event-time window, or reading no rows
// (`--empty`).
import { Relation, type RelationParts } from '../adapters/relation.js';
import type { SqlBuilders } from '../adapters/adapter.js';
import type { ManifestNode } from '../manifest/types.js';
import { EmptyInputRelation } from './empty-inputs.js';
import { EventTimeFilteredRelation, type EventTimeWindow } from './event-time-filter.js';

/** `--defer`: where refs to nodes not built in this target point instead (state/deferral.ts). */
export interface Deferral {
  relationFor(node: ManifestNode): RelationParts | null;
}

export class InputRelations {
  /** The window the node being compiled reads its inputs in (renders are synchronous, so one at a time). */
  window: EventTimeWindow | null = null;
  /** `--sample`'s window (sample-window.ts), or null. */
  sample: EventTimeWindow | null = null;
  /** Set while a foreign key's `to:` renders: it names its relation, which `--empty` leaves as it is. */
  namingRelation = false;
  /** `--empty`: refs and sources read no rows (empty-inputs.ts). */
  emptyInputs = false;
  deferral: Deferral | null = null;

  constructor(
    private readonly dialect: SqlBuilders,
    /** A node's relation (ref, `this`, a deferred ref): the project's `quoting:` applied; a source's is not. */
    private readonly nodeRelation: (parts: RelationParts) => Relation,
  ) {}

  /**
   * What a node's inputs with an event_time are filtered to, as dbt's resolve_event_time_filter: a
   * microbatch batch's window (narrowed to --sample's), else --sample's for a model or snapshot
   * (not tests, which check what was built), else nothing.
   */
  windowFor(node: ManifestNode, batch: EventTimeWindow | undefined): EventTimeWindow | null {
    const sample = this.sample;
    if (batch) {
      if (!sample) return batch;
      return { start: new Date(Math.max(batch.start.getTime(), sample.start.getTime())), end: new Date(Math.min(batch.end.getTime(), sample.end.getTime())) };
    }
    return sample && (node.resource_type === 'model' || node.resource_type === 'snapshot') ? sample : null;
  }

  /** An input as the node being compiled reads it: within its window, and with no rows under `--empty`. */
  input(relation: Relation, eventTime: unknown): Relation {
    return this.limited(this.filtered(relation, eventTime));
  }

  private filtered(relation: Relation, eventTime: unknown): Relation {
    if (!this.window || typeof eventTime !== 'string' || relation.type === 'cte') return relation;
    return new EventTimeFilteredRelation(relation, eventTime, this.window, (at) => this.dialect.eventTimeBound(at));
  }

  private limited(relation: Relation): Relation {
    return this.emptyInputs && !this.namingRelation ? new EmptyInputRelation(relation) : relation;
  }

  /** A function's relation (`function(...)`), as --defer gives it. */
  functionOf(fn: ManifestNode): Relation {
    const parts = this.deferral?.relationFor(fn) ?? { database: fn.database, schema: fn.schema, identifier: fn.alias };
    return new Relation({ ...parts, type: 'function' }, this.dialect);
  }

  /** What `ref()` to `node` renders: its relation, or under --defer the state's relation for it. */
  refRelationOf(node: ManifestNode): Relation {
    const deferred = this.deferral?.relationFor(node);
    return deferred ? this.nodeRelation(deferred) : this.relationOf(node);
  }

  /**
   * What a node's own templates see as `this`: the relation it builds; for an ephemeral model, which
   * builds none, its database, schema and alias all the same (dbt's Relation.create_from), so
   * `{{ this.schema }}` names the schema its refs' CTE reads from.
   */
  thisOf(node: ManifestNode): Relation {
    // dbt's `this` is Relation.create_from(config, node), which sets no type: `this.type` is None
    // and `this.is_table` / `is_view` false, whatever the materialization (a function keeps its
    // type, which decides how the warehouse names it).
    if (node.resource_type === 'function') return this.relationOf(node);
    return this.nodeRelation({ database: node.database, schema: node.schema, identifier: node.alias, type: null });
  }

  /** The relation a node builds; ephemeral nodes are CTE names. */
  relationOf(node: ManifestNode): Relation {
    if (node.config.materialized === 'ephemeral') return this.cte(`__dbt__cte__${node.alias}`);
    const type = node.config.materialized === 'view' ? 'view' : node.resource_type === 'function' ? 'function' : 'table';
    return this.nodeRelation({ database: node.database, schema: node.schema, identifier: node.alias, type });
  }

  /** A CTE's name as a relation (an ephemeral model's, a unit test's fixture). */
  cte(name: string): Relation {
    return new Relation({ identifier: name, type: 'cte' }, this.dialect, {
      include: { database: false, schema: false, identifier: true },
      quote: { database: false, schema: false, identifier: false },
    });
  }
}
