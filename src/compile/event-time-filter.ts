// Microbatch input filtering: while a batch compiles, `ref()` and `source()` of inputs that declare
// `event_time` render as a subquery limited to the batch's window, so a batch reads only its slice
// of the history instead of scanning it all.
import { Relation } from '../adapters/relation.js';

export interface EventTimeWindow {
  start: Date;
  end: Date;
}

/** A relation that renders as `(select * from rel where event_time in window) _dbt_et_filter_subq`. */
export class EventTimeFilteredRelation extends Relation {
  private readonly inner: Relation;
  private readonly eventTime: string;
  private readonly window: EventTimeWindow;
  private readonly timestamp: (at: Date) => string;

  /** `timestamp` writes a window bound as the dialect's timestamp literal. */
  constructor(inner: Relation, eventTime: string, window: EventTimeWindow, timestamp: (at: Date) => string) {
    super({ database: inner.database, schema: inner.schema, identifier: inner.identifier, type: inner.type }, dialectOf(inner), {
      quote: inner.quote_policy,
      include: inner.include_policy,
    });
    this.inner = inner;
    this.eventTime = eventTime;
    this.window = window;
    this.timestamp = timestamp;
  }

  override render(): string {
    return `(select * from ${this.inner.render()} where ${this.eventTime} >= ${this.timestamp(this.window.start)} and ${this.eventTime} < ${this.timestamp(this.window.end)}) _dbt_et_filter_subq`;
  }
}

/** Relation keeps its dialect private; it is reachable through the quoting it renders with. */
export function dialectOf(relation: Relation) {
  return (relation as unknown as { dialect: ConstructorParameters<typeof Relation>[1] }).dialect;
}
