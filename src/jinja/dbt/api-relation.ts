// `api.Relation` (and `adapter.Relation`) as dbt's adapter Relation class: `create(...)`, and the
// class methods templates call without a relation, as Elementary's create_elementary_test_table
// reads `api.Relation.get_default_quote_policy().get_part("identifier")`. They answer as any
// relation of the adapter does (adapters/relation-members.ts), asked of one made for the purpose.

const CLASS_METHODS = ['get_default_quote_policy', 'get_default_include_policy', 'add_ephemeral_prefix', 'scd_args'] as const;

export function apiRelation(create: (parts?: never) => unknown): Record<string, unknown> {
  const relationClass: Record<string, unknown> = { create };
  const sample = () => create() as Record<string, unknown>;
  for (const name of CLASS_METHODS) {
    relationClass[name] = (...args: unknown[]) => {
      const relation = sample();
      return (relation[name] as (...a: unknown[]) => unknown).apply(relation, args);
    };
  }
  Object.defineProperty(relationClass, 'get_relation_type', { get: () => sample().get_relation_type, enumerable: false });
  return relationClass;
}
