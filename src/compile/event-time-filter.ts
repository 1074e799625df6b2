// Input filtering by event time: while a microbatch batch compiles, or any model or snapshot under
// `--sample`, `ref()` and `source()` of inputs that declare `event_time` render as a subquery
// limited to the window, so a batch (or a sampled build) reads only its slice of the history.
import { SubqueryRelation, type Relation, type RelationEventTimeFilter } from '../adapters/relation.js';
import { PyDatetime } from '../jinja/pylib/datetime/index.js';

export interface EventTimeWindow {
  start: Date;
  end: Date;
}

/** A relation that renders as `(select * from rel where event_time in window) _dbt_et_filter_subq_<name>`. */
export class EventTimeFilteredRelation extends SubqueryRelation {
  /** `timestamp` writes a window bound as the dialect's timestamp literal. */
  constructor(
    inner: Relation,
    private readonly eventTime: string,
    private readonly window: EventTimeWindow,
    private readonly timestamp: (at: Date) => string,
  ) {
    super(inner);
  }

  /** dbt's EventTimeFilter: the column and the window (UTC datetimes), which `relation.replace(event_time_filter=...)` carries to another relation. */
  override get event_time_filter(): RelationEventTimeFilter {
    const { eventTime, window, timestamp } = this;
    return {
      field_name: eventTime,
      start: new PyDatetime(window.start, 'UTC'),
      end: new PyDatetime(window.end, 'UTC'),
      applyTo: (inner: Relation) => new EventTimeFilteredRelation(inner, eventTime, window, timestamp),
    } as RelationEventTimeFilter;
  }

  protected rewrap(inner: Relation): Relation {
    return new EventTimeFilteredRelation(inner, this.eventTime, this.window, this.timestamp);
  }

  protected subquery(): string {
    // The alias names the input, as dbt-adapters' `_dbt_et_filter_subq_<table>`, so a model joining two filtered inputs has two names.
    const alias = `_dbt_et_filter_subq_${String(this.inner.identifier ?? '').replace(/\W/g, '_')}`;
    return `(select * from ${String(this.inner)} where ${this.eventTime} >= ${this.timestamp(this.window.start)} and ${this.eventTime} < ${this.timestamp(this.window.end)}) ${alias}`;
  }
}
