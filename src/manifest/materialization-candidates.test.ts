// dbt-core's rules for choosing a materialization (Manifest.find_materialization_macro_by_name):
// specificity first (this adapter's beats `default`), then locality (root project > package >
// dbt's own), and an installed package replaces a built-in only when the project allows it.
import { describe, expect, it } from 'vitest';
import { Locality, MaterializationResolver, type ResolverOptions } from './materialization-candidates.js';

/** Macros by namespace, each `materialization_<name>_<adapter>` at line 1 of `<ns>/m.sql`. */
function macros(byNamespace: Record<string, string[]>): ResolverOptions['macros'] {
  return {
    namespaces: () => Object.keys(byNamespace),
    names: (ns) => byNamespace[ns] ?? [],
    has: (ns, name) => (byNamespace[ns] ?? []).includes(name),
    info: (ns, name) => ((byNamespace[ns] ?? []).includes(name) ? { path: `${ns}/m.sql`, line: 1 } : undefined),
  };
}

function resolver(byNamespace: Record<string, string[]>, options: Partial<ResolverOptions> = {}): { r: MaterializationResolver; warnings: string[]; notes: string[] } {
  const warnings: string[] = [];
  const notes: string[] = [];
  const r = new MaterializationResolver({
    macros: macros({ dbt: [], ...byNamespace }),
    rootProject: 'demo',
    coreNamespaces: new Set(['dbt']),
    prefixes: ['postgres', 'default'],
    builtins: ['table', 'view', 'incremental', 'ephemeral', 'distributed_table'],
    ownBuiltins: [],
    requireExplicitPackageOverrides: true,
    warn: (m, event) => warnings.push(`${event}: ${m}`),
    note: (m) => notes.push(m),
    ...options,
  });
  return { r, warnings, notes };
}

const pick = (c: ReturnType<MaterializationResolver['resolve']>) => (c ? `${c.namespace ?? 'builtin'}.${c.macroName}` : null);

describe('MaterializationResolver', () => {
  it('a user materialization: the adapter-specific one beats default, whatever package defines it', () => {
    const { r } = resolver({ demo: ['materialization_swap_default'], pkg: ['materialization_swap_postgres'] });
    expect(pick(r.resolve('swap'))).toBe('pkg.materialization_swap_postgres');
  });

  it('at equal specificity the root project beats a package', () => {
    const { r } = resolver({ demo: ['materialization_swap_default'], pkg: ['materialization_swap_default'] });
    expect(pick(r.resolve('swap'))).toBe('demo.materialization_swap_default');
  });

  it("the project's default beats the built-in default (PostgreSQL's built-ins are dbt's default ones)", () => {
    const { r } = resolver({ demo: ['materialization_table_default'] });
    expect(pick(r.resolve('table'))).toBe('demo.materialization_table_default');
    expect(pick(r.resolve('view'))).toBe('builtin.materialization_view_default');
  });

  it("where the adapter implements a built-in itself (dbt-clickhouse's table), a project default does not replace it; an adapter-specific one does", () => {
    const clickhouse = { prefixes: ['clickhouse', 'default'], ownBuiltins: ['table', 'view', 'incremental', 'distributed_table'] };
    const plain = resolver({ demo: ['materialization_table_default'] }, clickhouse).r;
    expect(pick(plain.resolve('table'))).toBe('builtin.materialization_table_clickhouse');
    const specific = resolver({ demo: ['materialization_table_clickhouse'] }, clickhouse).r;
    expect(pick(specific.resolve('table'))).toBe('demo.materialization_table_clickhouse');
  });

  it('a package does not replace a built-in unless the flag allows it (a note, not a warning, as dbt is silent); with it, a deprecation warning once', () => {
    const explicit = resolver({ pkg: ['materialization_table_default'] });
    expect(pick(explicit.r.resolve('table'))).toBe('builtin.materialization_table_default');
    explicit.r.resolve('table');
    expect(explicit.warnings).toEqual([]);
    expect(explicit.notes).toHaveLength(1);
    expect(explicit.notes[0]).toContain("{% materialization table, default %}{{ return(pkg.materialization_table_default()) }}{% endmaterialization %}");

    const legacy = resolver({ pkg: ['materialization_table_default'] }, { requireExplicitPackageOverrides: false });
    expect(pick(legacy.r.resolve('table'))).toBe('pkg.materialization_table_default');
    expect(legacy.warnings).toHaveLength(1);
    expect(legacy.warnings[0]).toContain("PackageMaterializationOverrideDeprecation: Installed package 'pkg' is overriding the built-in materialization 'table'");
  });

  it("a package's adapter-specific built-in is passed over for the best root or core candidate", () => {
    // dbt sorts by specificity before locality: pkg's table_postgres (0) beats the project's table_default (1),
    // and since it is a package's over a built-in with the flag on, the best core-or-root candidate is used.
    const { r } = resolver({ demo: ['materialization_table_default'], pkg: ['materialization_table_postgres'] });
    expect(pick(r.resolve('table'))).toBe('demo.materialization_table_default');
  });

  it('two packages defining the same materialization at the same level is an error naming both', () => {
    const { r } = resolver({ a: ['materialization_swap_default'], b: ['materialization_swap_default'] });
    expect(() => r.resolve('swap')).toThrow(/materialization 'swap' is defined twice at the same level: a\/m.sql:1 and b\/m.sql:1/);
  });

  it('none: null; names() lists the built-ins and every materialization this adapter can run', () => {
    const { r } = resolver({ demo: ['materialization_swap_default', 'materialization_snow_snowflake', 'my_macro'], pkg: ['materialization_insert_by_period_postgres'] });
    expect(r.resolve('nothing')).toBeNull();
    expect(r.resolve('snow')).toBeNull();
    expect(r.names().sort()).toEqual(['distributed_table', 'ephemeral', 'incremental', 'insert_by_period', 'swap', 'table', 'view']);
    expect(r.candidates('swap')).toEqual([{ namespace: 'demo', macroName: 'materialization_swap_default', specificity: 1, locality: Locality.Root }]);
  });
});
