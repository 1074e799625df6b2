// Which implementation runs `materialized='<name>'`, chosen as dbt-core chooses
// (Manifest.find_materialization_macro_by_name): every `{% materialization <name>, <adapter> %}` of
// the project, the installed packages and dbt's own is a candidate, with a specificity (its
// adapter's place in the dispatch chain: this adapter 0, ..., `default` last) and a locality
// (root project > installed package > dbt's core). The lowest specificity wins, then the highest
// locality. tsdbt's TypeScript built-ins are dbt's core candidates: adapter-specific where the
// adapter says it implements them itself (AdapterCapabilities.ownMaterializations), else `default`.
// A package cannot replace a built-in unless the project asks for it (dbt's
// `require_explicit_package_overrides_for_builtin_materializations`, true by default).
import { TsdbtError } from '../errors/tsdbt-error.js';

/** dbt's Locality: the larger wins at equal specificity. */
export enum Locality {
  Core = 1,
  Imported = 2,
  Root = 3,
}

export interface MaterializationCandidate {
  /** Null for a TypeScript built-in. */
  namespace: string | null;
  /** `materialization_<name>_<adapter>`; for a built-in, the name it would have in dbt. */
  macroName: string;
  specificity: number;
  locality: Locality;
}

/** What the resolver reads: the macros by namespace (the MacroLibrary) and where each is defined. */
export interface MaterializationMacros {
  namespaces(): string[];
  names(namespace: string): string[];
  has(namespace: string, name: string): boolean;
  info(namespace: string, name: string): { path: string; line: number } | undefined;
}

export interface ResolverOptions {
  macros: MaterializationMacros;
  rootProject: string;
  /** Namespaces of dbt's own macros (the global project): Locality.Core. */
  coreNamespaces: ReadonlySet<string>;
  /** The adapter's dispatch prefixes, most specific first, ending in `default`. */
  prefixes: readonly string[];
  /** The built-in materializations (model ones). */
  builtins: readonly string[];
  /** Built-ins the adapter implements itself (dbt-clickhouse's `table`...): specificity 0. */
  ownBuiltins: readonly string[];
  /** dbt's flag (default true): an installed package does not replace a built-in by itself. */
  requireExplicitPackageOverrides: boolean;
  /** Told once per name when a package's materialization is used over (warn), or ignored for (note), a built-in. */
  /** A warning, with dbt's event name. */
  warn?: (message: string, event: string) => void;
  /** A line for the debug log only (dbt prints nothing there). */
  note?: (message: string) => void;
}

/** `materialization_<name>_<adapter>`: dbt's macro name for a materialization. */
export function materializationMacroName(name: string, adapter: string): string {
  return `materialization_${name}_${adapter}`;
}

/** Candidates sorted best first (dbt's CandidateList sorted, reversed). */
function ranked(candidates: MaterializationCandidate[]): MaterializationCandidate[] {
  return [...candidates].sort((a, b) => a.specificity - b.specificity || b.locality - a.locality);
}

export class MaterializationResolver {
  private readonly options: ResolverOptions;
  private readonly cache = new Map<string, MaterializationCandidate | null>();
  private readonly warned = new Set<string>();

  constructor(options: ResolverOptions) {
    this.options = options;
  }

  private localityOf(namespace: string): Locality {
    if (namespace === this.options.rootProject) return Locality.Root;
    return this.options.coreNamespaces.has(namespace) ? Locality.Core : Locality.Imported;
  }

  /** Every candidate for `name` on this adapter. */
  candidates(name: string): MaterializationCandidate[] {
    const { macros, prefixes, builtins, ownBuiltins } = this.options;
    const found: MaterializationCandidate[] = [];
    const namespaces = macros.namespaces();
    prefixes.forEach((prefix, specificity) => {
      const macroName = materializationMacroName(name, prefix);
      for (const namespace of namespaces) {
        if (macros.has(namespace, macroName)) found.push({ namespace, macroName, specificity, locality: this.localityOf(namespace) });
      }
    });
    if (builtins.includes(name)) {
      const own = ownBuiltins.includes(name);
      const specificity = own ? 0 : prefixes.length - 1;
      found.push({ namespace: null, macroName: materializationMacroName(name, own ? (prefixes[0] ?? 'default') : 'default'), specificity, locality: Locality.Core });
    }
    return found;
  }

  /** Names of every materialization this adapter can run: the built-ins and each user one. */
  names(): string[] {
    const names = new Set(this.options.builtins);
    const suffixes = this.options.prefixes.map((p) => `_${p}`);
    for (const namespace of this.options.macros.namespaces()) {
      for (const macro of this.options.macros.names(namespace)) {
        if (!macro.startsWith('materialization_')) continue;
        const suffix = suffixes.find((s) => macro.endsWith(s));
        if (suffix) names.add(macro.slice('materialization_'.length, -suffix.length));
      }
    }
    return [...names];
  }

  /**
   * The candidate that runs `name`, or null when there is none. Two candidates of one specificity
   * and locality (two packages defining the same materialization) are an error naming both.
   */
  resolve(name: string): MaterializationCandidate | null {
    if (this.cache.has(name)) return this.cache.get(name) ?? null;
    const all = ranked(this.candidates(name));
    let best = all[0] ?? null;
    const rival = all[1];
    if (best && rival && rival.specificity === best.specificity && rival.locality === best.locality) {
      const where = (c: MaterializationCandidate) => {
        const info = c.namespace ? this.options.macros.info(c.namespace, c.macroName) : undefined;
        return info ? `${info.path}:${info.line}` : `${c.namespace ?? 'tsdbt'}`;
      };
      throw new TsdbtError(`materialization '${name}' is defined twice at the same level: ${where(best)} and ${where(rival)}`, {
        code: 'materialization-duplicate',
        hint: `rename one of them, or define {% materialization ${name}, default %} in the root project to choose (it wins over packages)`,
      });
    }
    if (best && best.locality === Locality.Imported && all.some((c) => c.locality === Locality.Core)) {
      if (this.options.requireExplicitPackageOverrides) {
        // dbt 1.11 skips the package's silently; tsdbt says why in the debug log.
        const skipped = best;
        this.reportOnce(
          name,
          () => this.options.note?.(`package '${skipped.namespace}' defines the built-in materialization '${name}', which packages do not replace unless the project asks: tsdbt uses the built-in. To use the package's, add {% materialization ${name}, default %}{{ return(${skipped.namespace}.${skipped.macroName}()) }}{% endmaterialization %} to the project's macros, or set flags: {require_explicit_package_overrides_for_builtin_materializations: false} in dbt_project.yml`),
        );
        best = all.find((c) => c.locality !== Locality.Imported) ?? null;
      } else {
        // dbt's PackageMaterializationOverrideDeprecation (D016), fired through deprecations.warn.
        const message = `Installed package '${best.namespace}' is overriding the built-in materialization '${name}'. Overrides of built-in materializations from installed packages will be deprecated in future versions of dbt. For more information: https://docs.getdbt.com/reference/global-configs/legacy-behaviors`;
        this.reportOnce(name, () => this.options.warn?.(message, 'PackageMaterializationOverrideDeprecation'));
      }
    }
    this.cache.set(name, best);
    return best;
  }

  private reportOnce(name: string, report: () => void): void {
    if (this.warned.has(name)) return;
    this.warned.add(name);
    report();
  }
}
