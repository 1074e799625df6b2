// Microbatch input filtering: while a batch compiles, `ref()` and `source()` of inputs that declare
// `event_time` render as a subquery limited to the batch's window, so a batch reads only its slice
// of the history instead of scanning it all.
import { Relation } from '../adapters/relation.js';

export interface EventTimeWindow {
  start: Date;
  end: Date;
}

/** SQL timestamp literal (UTC, no zone) for a window bound. */
export function timestampLiteral(date: Date): string {
  return `cast('${date.toISOString().replace('T', ' ').replace('Z', '')}' as timestamp)`;
}

/** A relation that renders as `(select * from rel where event_time in window) _dbt_et_filter_subq`. */
export class EventTimeFilteredRelation extends Relation {
  private readonly inner: Relation;
  private readonly eventTime: string;
  private readonly window: EventTimeWindow;

  constructor(inner: Relation, eventTime: string, window: EventTimeWindow) {
    super({ database: inner.database, schema: inner.schema, identifier: inner.identifier, type: inner.type }, dialectOf(inner), {
      quote: inner.quote_policy,
      include: inner.include_policy,
    });
    this.inner = inner;
    this.eventTime = eventTime;
    this.window = window;
  }

  override render(): string {
    return `(select * from ${this.inner.render()} where ${this.eventTime} >= ${timestampLiteral(this.window.start)} and ${this.eventTime} < ${timestampLiteral(this.window.end)}) _dbt_et_filter_subq`;
  }
}

/** Relation keeps its dialect private; it is reachable through the quoting it renders with. */
function dialectOf(relation: Relation) {
  return (relation as unknown as { dialect: ConstructorParameters<typeof Relation>[1] }).dialect;
}
