// Microbatch input filtering: while a batch compiles, `ref()` and `source()` of inputs that declare
// `event_time` render as a subquery limited to the batch's window, so a batch reads only its slice
// of the history instead of scanning it all.
import { SubqueryRelation, type Relation } from '../adapters/relation.js';

export interface EventTimeWindow {
  start: Date;
  end: Date;
}

/** A relation that renders as `(select * from rel where event_time in window) _dbt_et_filter_subq`. */
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

  override render(): string {
    return `(select * from ${this.inner.render()} where ${this.eventTime} >= ${this.timestamp(this.window.start)} and ${this.eventTime} < ${this.timestamp(this.window.end)}) _dbt_et_filter_subq`;
  }
}
