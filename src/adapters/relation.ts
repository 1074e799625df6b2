// Relation: a database object (table, view, ...) named by database.schema.identifier, the object
// templates see as `this`, `ref(...)` and `source(...)`. Rendering (quoting, which parts to include)
// is dialect-specific, so each relation carries its adapter's quoting rule.
import { matchSearch, relationMatches } from './relation-match.js';
import { installRelationMembers } from './relation-members.js';
import type { FunctionRelationConfig, IncludePolicy, QuotePolicy, RelationDialect, RelationParts, RelationType } from './relation-dialect.js';

export * from './relation-dialect.js';

/**
 * dbt's `relation.event_time_filter` (an EventTimeFilter: field_name, start, end): the window a
 * relation's reads are limited to. `applyTo` gives another relation the same filter, for
 * `relation.replace(event_time_filter=...)`.
 */
export interface RelationEventTimeFilter {
  readonly field_name: string;
  applyTo(inner: Relation): Relation;
}

/** The fields `relation.replace(...)` may set: dbt-adapters' BaseRelation dataclass fields tsdbt models. */
const REPLACEABLE = new Set(['path', 'type', 'quote_policy', 'include_policy', 'limit', 'event_time_filter']);

/** dbt's RelationType members as BaseRelation has them, for templates (`this.incorporate(type=this.Function)`). */
const RELATION_TYPE_MEMBERS: Record<string, RelationType> = { Table: 'table', View: 'view', CTE: 'cte', MaterializedView: 'materialized_view', External: 'external', Function: 'function' };

/** An immutable relation. `toString()` renders it, so `{{ this }}` and `{{ ref('x') }}` print SQL. */
export class Relation {
  readonly database: string | null;
  readonly schema: string | null;
  readonly identifier: string;
  readonly type: RelationType | null;
  readonly quote_policy: QuotePolicy;
  readonly include_policy: IncludePolicy;
  protected readonly dialect: RelationDialect;

  constructor(
    parts: RelationParts,
    dialect: RelationDialect,
    policies: { quote?: Partial<QuotePolicy>; include?: Partial<IncludePolicy> } = {},
  ) {
    this.database = parts.database ?? null;
    this.schema = parts.schema ?? null;
    this.identifier = parts.identifier;
    this.type = parts.type ?? null;
    this.dialect = dialect;
    this.quote_policy = { ...dialect.defaultQuotePolicy, ...policies.quote };
    this.include_policy = { ...dialect.defaultIncludePolicy, ...policies.include };
  }

  get name(): string {
    return this.identifier;
  }
  get table(): string {
    return this.identifier;
  }
  get is_table(): boolean {
    return this.type === 'table';
  }
  get is_view(): boolean {
    return this.type === 'view';
  }
  get is_materialized_view(): boolean {
    return this.type === 'materialized_view';
  }
  get is_cte(): boolean {
    return this.type === 'cte';
  }

  get is_function(): boolean {
    return this.type === 'function';
  }

  /** dbt-adapters' BaseRelation.renameable_relations (the adapter's; BaseRelation's is empty). */
  get renameable_relations(): readonly RelationType[] {
    return this.dialect.renameableRelations ?? [];
  }
  /** dbt-adapters' BaseRelation.replaceable_relations. */
  get replaceable_relations(): readonly RelationType[] {
    return this.dialect.replaceableRelations ?? [];
  }
  /** dbt-adapters' `relation.can_be_renamed`: `self.type in self.renameable_relations`. */
  get can_be_renamed(): boolean {
    return this.type !== null && this.renameable_relations.includes(this.type);
  }
  /** dbt-adapters' `relation.can_be_replaced`: `self.type in self.replaceable_relations`. */
  get can_be_replaced(): boolean {
    return this.type !== null && this.replaceable_relations.includes(this.type);
  }

  /**
   * dbt-adapters' `relation.get_function_config(model)`: a function node's language, type,
   * runtime_version and entry_point; None for any other node.
   */
  get_function_config(model: unknown): FunctionRelationConfig | null {
    const node = (model ?? {}) as { resource_type?: unknown; language?: unknown; config?: Record<string, unknown> };
    if (node.resource_type !== 'function') return null;
    const config = node.config ?? {};
    return { language: String(node.language ?? ''), type: String(config.type ?? ''), runtime_version: config.runtime_version ?? null, entry_point: config.entry_point ?? null };
  }

  /** dbt-adapters' `relation.get_function_macro_name(config)`: `<type>_function_<language>` (`scalar_function_sql`). */
  get_function_macro_name(config: FunctionRelationConfig): string {
    return `${config.type}_function_${config.language}`;
  }

  /** dbt's `relation.matches(database=None, schema=None, identifier=None)` (relation-match.ts). */
  matches(...args: unknown[]): boolean {
    return relationMatches(this, matchSearch(args));
  }
  /** The warehouse's quote character, as dbt's `relation.quote_character`. */
  get quote_character(): string {
    return this.dialect.quoteIdentifier('x').charAt(0);
  }

  /** dbt's `relation.path`: the three name parts. */
  get path(): { database: string | null; schema: string | null; identifier: string } {
    return { database: this.database, schema: this.schema, identifier: this.identifier };
  }

  /**
   * dbt relations are mappings (dbt_utils checks `obj is mapping` and
   * `obj.get('metadata', {}).get('type', '').endswith('Relation')`).
   */
  get metadata(): { type: string } {
    return { type: 'BaseRelation' };
  }
  keys(): string[] {
    return ['path', 'type', 'quote_policy', 'include_policy', 'metadata'];
  }
  get(key: string, fallback: unknown = null): unknown {
    return this.keys().includes(key) ? (this as unknown as Record<string, unknown>)[key] : fallback;
  }
  items(): [string, unknown][] {
    return this.keys().map((k) => [k, this.get(k)]);
  }
  /** As a dict key, a relation is its rendered name. */
  __hash__(): string {
    return this.render();
  }

  /** dbt's `relation.without_identifier()`: the schema the relation lives in. */
  without_identifier(): Relation {
    return this.include({ identifier: false });
  }

  /** dbt's `relation.include(database=False, schema=True, identifier=True)`. */
  include(opts: Partial<IncludePolicy> = {}): Relation {
    return this.with({}, { include: { ...this.include_policy, ...stripKeywords(opts) } });
  }

  /** dbt's `relation.quote(...)`. */
  quote(opts: Partial<QuotePolicy> = {}): Relation {
    return this.with({}, { quote: { ...this.quote_policy, ...stripKeywords(opts) } });
  }

  /** dbt's `relation.incorporate(path={...}, type='table')`. */
  incorporate(opts: { path?: Partial<RelationParts>; type?: RelationType } = {}): Relation {
    const o = stripKeywords(opts);
    return this.with({ ...stripKeywords(o.path ?? {}), ...(o.type ? { type: o.type } : {}) });
  }

  /**
   * dbt's `relation.information_schema('columns')`: the database's INFORMATION_SCHEMA (its view
   * named unquoted after it), e.g. `"analytics".INFORMATION_SCHEMA.columns` (dbt-adapters'
   * InformationSchema: database kept, schema dropped, identifier unquoted).
   */
  information_schema(view?: unknown): InformationSchema {
    return new InformationSchema(
      { database: this.database, schema: null, identifier: 'INFORMATION_SCHEMA', type: 'view' },
      this.dialect,
      {
        quote: { ...this.quote_policy, identifier: false },
        include: { ...this.include_policy, database: this.database !== null && this.include_policy.database, schema: false, identifier: true },
      },
      typeof view === 'string' ? view : null,
    );
  }

  /** dbt's `relation.information_schema_only()`: the information schema without a view. */
  information_schema_only(): InformationSchema {
    return this.information_schema();
  }

  /** dbt's `relation.limit`: the rows the relation reads (`--empty` reads 0), else None. */
  get limit(): number | null {
    return null;
  }

  /** dbt's `relation.event_time_filter` (a microbatch batch's or `--sample`'s window), else None. */
  get event_time_filter(): RelationEventTimeFilter | null {
    return null;
  }

  /**
   * dbt's `relation.replace(limit=..., event_time_filter=..., path=..., type=...)` (dataclasses.replace
   * on BaseRelation): a copy with those fields set and the others kept, e.g. a package's `ref()`
   * override carrying the builtin ref's `--empty` limit and microbatch filter over to the relation
   * it chose. A field tsdbt does not model is refused, as Python refuses an unknown keyword.
   */
  replace(kwargs: Record<string, unknown> = {}): Relation {
    const args = stripKeywords(kwargs);
    const unknown = Object.keys(args).filter((k) => !REPLACEABLE.has(k));
    if (unknown.length > 0) throw new Error(`relation.replace() got an unexpected keyword argument '${unknown[0]}' (it takes ${[...REPLACEABLE].join(', ')})`);
    const path = stripKeywords((args.path ?? {}) as Partial<RelationParts>);
    let out = this.bare().with(
      { ...path, ...('type' in args ? { type: (args.type ?? null) as RelationType | null } : {}) },
      {
        quote: args.quote_policy ? { ...this.quote_policy, ...stripKeywords(args.quote_policy as Partial<QuotePolicy>) } : this.quote_policy,
        include: args.include_policy ? { ...this.include_policy, ...stripKeywords(args.include_policy as Partial<IncludePolicy>) } : this.include_policy,
      },
    );
    const filter = 'event_time_filter' in args ? (args.event_time_filter as RelationEventTimeFilter | null | undefined) : this.event_time_filter;
    if (filter) out = filter.applyTo(out);
    const limit = 'limit' in args ? args.limit : this.limit;
    if (limit !== null && limit !== undefined) out = new LimitedRelation(out, Number(limit));
    return out;
  }

  /** This relation without a subquery around it (SubqueryRelation's inner relation). */
  bare(): Relation {
    return this;
  }

  /** dbt's `relation.replace_path(identifier='x')`. */
  replace_path(parts: Partial<RelationParts> = {}): Relation {
    return this.with(stripKeywords(parts));
  }

  with(parts: Partial<RelationParts>, policies: { quote?: QuotePolicy; include?: IncludePolicy } = {}): Relation {
    return new Relation(
      {
        database: parts.database !== undefined ? parts.database : this.database,
        schema: parts.schema !== undefined ? parts.schema : this.schema,
        identifier: parts.identifier ?? this.identifier,
        type: parts.type !== undefined ? parts.type : this.type,
      },
      this.dialect,
      { quote: policies.quote ?? this.quote_policy, include: policies.include ?? this.include_policy },
    );
  }

  render(): string {
    const parts: string[] = [];
    const add = (value: string | null, include: boolean, quote: boolean) => {
      if (!include || value === null || value === '') return;
      parts.push(quote ? this.dialect.quoteIdentifier(value) : value);
    };
    const include = (this.type === 'function' ? this.dialect.functionIncludePolicy : undefined) ?? this.include_policy;
    add(this.database, include.database, this.quote_policy.database);
    add(this.schema, include.schema, this.quote_policy.schema);
    add(this.identifier, include.identifier, this.quote_policy.identifier);
    return parts.join('.');
  }

  toString(): string {
    return this.render();
  }

  /** Python's repr(), as inside a printed list or dict: dbt-adapters' BaseRelation.__repr__, `<PostgresRelation "db"."s"."t">`. */
  __repr__(): string {
    return `<${this.dialect.relationClassName ?? 'BaseRelation'} ${this.render()}>`;
  }

  /** Plain data (for manifests and logs). */
  toJSON(): RelationParts {
    return { database: this.database, schema: this.schema, identifier: this.identifier, type: this.type };
  }

  /** The dialect `relation` renders with, for a relation that stands for another (SubqueryRelation). */
  protected static dialectOf(relation: Relation): RelationDialect {
    return relation.dialect;
  }
}
for (const [member, type] of Object.entries(RELATION_TYPE_MEMBERS)) Object.defineProperty(Relation.prototype, member, { get: () => type, enumerable: false });
installRelationMembers(Relation.prototype, (r) => {
  const { dialect } = r as unknown as { dialect: RelationDialect };
  return { quote: dialect.defaultQuotePolicy, include: dialect.defaultIncludePolicy };
});

/**
 * A relation standing for `inner` (its name parts and policies, so `.identifier` and `.schema` read
 * as the model expects) that renders as a subquery over it: `--empty`'s inputs reading no rows, a
 * microbatch's inputs filtered to the batch (compile/empty-inputs.ts, compile/event-time-filter.ts).
 */
export abstract class SubqueryRelation extends Relation {
  protected constructor(protected readonly inner: Relation) {
    super({ database: inner.database, schema: inner.schema, identifier: inner.identifier, type: inner.type }, Relation.dialectOf(inner), {
      quote: inner.quote_policy,
      include: inner.include_policy,
    });
  }

  override bare(): Relation {
    return this.inner.bare();
  }

  /**
   * dbt's `relation.render()`: the relation's name, without the subquery; `str(relation)` (how
   * `{{ ref('x') }}` prints) is the subquery, as dbt-adapters' BaseRelation.__str__ renders it.
   */
  override render(): string {
    return this.inner.render();
  }

  override toString(): string {
    return this.subquery();
  }

  /** This subquery over another relation, so derived relations (`include`, `incorporate`, ...) keep it, as dbt's keep `limit` and `event_time_filter`. */
  protected abstract rewrap(inner: Relation): Relation;

  override with(parts: Partial<RelationParts>, policies: { quote?: QuotePolicy; include?: IncludePolicy } = {}): Relation {
    return this.rewrap(this.inner.with(parts, policies));
  }

  /** The subquery this relation prints as, over `String(inner)` (an inner subquery nests). */
  protected abstract subquery(): string;
}

/**
 * A relation that reads at most `limit` rows, as dbt-adapters' BaseRelation.render_limited writes
 * it: `(select * from rel where false limit 0) _dbt_limit_subq_<name>` for `--empty`, else
 * `(select * from rel limit n) _dbt_limit_subq_<name>`.
 */
export class LimitedRelation extends SubqueryRelation {
  constructor(
    inner: Relation,
    private readonly rows: number,
  ) {
    super(inner);
  }

  override get limit(): number {
    return this.rows;
  }

  override get event_time_filter(): RelationEventTimeFilter | null {
    return this.inner.event_time_filter;
  }

  protected rewrap(inner: Relation): Relation {
    return new LimitedRelation(inner, this.rows);
  }

  protected subquery(): string {
    // The subquery's alias is dbt's; characters that cannot stand in a bare name become `_`.
    const alias = `_dbt_limit_subq_${String(this.inner.identifier ?? '').replace(/\W/g, '_')}`;
    const rows = this.rows === 0 ? 'where false limit 0' : `limit ${this.rows}`;
    return `(select * from ${String(this.inner)} ${rows}) ${alias}`;
  }
}

/** dbt's InformationSchema relation: a relation followed by the information-schema view's name. */
export class InformationSchema extends Relation {
  readonly information_schema_view: string | null;

  constructor(
    parts: RelationParts,
    dialect: RelationDialect,
    policies: { quote?: Partial<QuotePolicy>; include?: Partial<IncludePolicy> } = {},
    view: string | null = null,
  ) {
    super(parts, dialect, policies);
    this.information_schema_view = view;
  }

  override with(parts: Partial<RelationParts>, policies: { quote?: QuotePolicy; include?: IncludePolicy } = {}): Relation {
    const base = super.with(parts, policies);
    return new InformationSchema(base, this.dialect, { quote: base.quote_policy, include: base.include_policy }, this.information_schema_view);
  }

  override render(): string {
    const base = super.render();
    return this.information_schema_view ? `${base}.${this.information_schema_view}` : base;
  }
}

/** Template calls may pass keyword arguments as an object marked `__keywords`; drop that marker. */
function stripKeywords<T extends object>(value: T): T {
  if (value && typeof value === 'object' && '__keywords' in value) {
    const { __keywords: _ignored, ...rest } = value as T & { __keywords?: unknown };
    return rest as T;
  }
  return value;
}
