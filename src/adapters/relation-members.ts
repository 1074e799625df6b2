// dbt-adapters' BaseRelation members a template may read that relation.ts's Relation does not define
// itself (that file is long): the dataclass fields with their defaults (`dbt_created` False,
// `require_alias` True, `catalog` None), the class's `get_default_quote_policy()` /
// `get_default_include_policy()` and `get_relation_type` (the RelationType enum), `PointerTable` and
// `is_pointer`, `quoted(identifier)`, `add_ephemeral_prefix(name)` and `scd_args(primary_key,
// updated_at)`. Installed on Relation.prototype by relation.ts.
// It imports nothing of relation.ts (which imports it): the shapes it reads are its own.
type Policy = object;

/** dbt-adapters' RelationType values (contracts/relation.py), as `relation.get_relation_type` gives them. */
const RELATION_TYPES = Object.freeze({
  Table: 'table',
  View: 'view',
  CTE: 'cte',
  MaterializedView: 'materialized_view',
  Ephemeral: 'ephemeral',
  External: 'external',
  PointerTable: 'pointer_table',
  Function: 'function',
});

/** What the members read of a relation. */
interface RelationLike {
  readonly type: string | null;
  readonly quote_character: string;
}

/** A positional or keyword argument of a template call (`f(x)` or `f(name=x)`). */
function arg(values: unknown[], index: number, name: string): unknown {
  const last = values[values.length - 1];
  if (last && typeof last === 'object' && '__keywords' in last && name in last) return (last as Record<string, unknown>)[name];
  return values[index];
}

/** A copy of `policy` with dbt's Policy.get_part(key) (not enumerated, so it prints as the dict). */
function policyObject(policy: Policy): Policy {
  return Object.defineProperty({ ...policy }, 'get_part', { value: (key: unknown) => (policy as unknown as Record<string, unknown>)[String(key)] ?? null, enumerable: false });
}

export function installRelationMembers(proto: object, policies: (relation: object) => { quote: Policy; include: Policy }): void {
  const getters: Record<string, (this: RelationLike) => unknown> = {
    dbt_created: () => false,
    require_alias: () => true,
    catalog: () => null,
    PointerTable: () => RELATION_TYPES.PointerTable,
    get_relation_type: () => RELATION_TYPES,
    is_pointer(this: RelationLike) {
      return this.type === RELATION_TYPES.PointerTable;
    },
  };
  for (const [name, get] of Object.entries(getters)) Object.defineProperty(proto, name, { get, enumerable: false, configurable: true });
  const methods: Record<string, (this: RelationLike, ...values: unknown[]) => unknown> = {
    /** `get_default_quote_policy()`: the adapter's default Policy (dbt-postgres: every part quoted). */
    get_default_quote_policy(this: RelationLike) {
      return policyObject(policies(this).quote);
    },
    get_default_include_policy(this: RelationLike) {
      return policyObject(policies(this).include);
    },
    /** `quoted(identifier)`: the name between the relation's quote characters, as written (no escaping, as dbt's). */
    quoted(this: RelationLike, ...values: unknown[]) {
      return `${this.quote_character}${String(arg(values, 0, 'identifier'))}${this.quote_character}`;
    },
    add_ephemeral_prefix: (...values: unknown[]) => `__dbt__cte__${String(arg(values, 0, 'name'))}`,
    /** `scd_args(primary_key, updated_at)`: the key's columns (a list or one), then updated_at. */
    scd_args: (...values: unknown[]) => {
      const key = arg(values, 0, 'primary_key');
      return [...(Array.isArray(key) ? (key as unknown[]) : [key]), arg(values, 1, 'updated_at')];
    },
  };
  for (const [name, value] of Object.entries(methods)) Object.defineProperty(proto, name, { value, writable: true, enumerable: false, configurable: true });
}
