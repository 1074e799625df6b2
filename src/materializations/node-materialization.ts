// Picks what materializes a node: a model's `materialized` resolved among the built-ins and the
// project's and packages' `{% materialization %}` macros (manifest/materialization-candidates.ts), as is
// a user-defined function's (`function`, written in Jinja in the global project) and a snapshot's
// (`snapshot`, `seed`, `test`: a project's or package's `{% materialization seed, default %}` replaces
// the TypeScript built-in, as it replaces dbt's own); unit tests run their built-in.
// With no user materialization anywhere, a lookup is one cached map read before the TypeScript
// built-in runs.
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Compiler } from '../compile/compiler.js';
import type { RenderSession } from '../compile/render-session.js';
import type { ManifestNode } from '../manifest/types.js';
import { GLOBAL_NAMESPACE } from '../jinja/dbt/macro-scope.js';
import { materializationFor } from './index.js';
import { materializationResolver, type ResolverSettings } from '../compile/materialization-resolver.js';
import type { MaterializationResolver } from '../manifest/materialization-candidates.js';
import type { Materialization } from './materialization.js';
import { userMaterialization } from './user-materialization.js';

export class NodeMaterializations {
  private readonly resolver: MaterializationResolver;
  /** Snapshots, seeds and data tests: the built-in against the project's and packages' `snapshot` / `seed` / `test` (dbt's core candidate is its own). */
  private readonly kindResolvers: Record<'snapshot' | 'seed' | 'test', MaterializationResolver>;

  constructor(
    private readonly deps: { session: RenderSession; compiler: Compiler },
    settings: ResolverSettings,
  ) {
    this.resolver = materializationResolver(deps.session, settings);
    const kind = (name: string) => materializationResolver(deps.session, { ...settings, builtins: [name] });
    this.kindResolvers = { snapshot: kind('snapshot'), seed: kind('seed'), test: kind('test') };
  }

  private readonly checkedKinds = new Set<string>();

  /**
   * Unit tests always run tsdbt's built-in: a project's or package's `{% materialization unit,
   * default %}` is said to be unused, once, rather than silently ignored.
   */
  private warnIfReplaced(resourceType: string): void {
    const kind = resourceType === 'unit_test' ? 'unit' : resourceType;
    if (this.checkedKinds.has(kind)) return;
    this.checkedKinds.add(kind);
    const user = this.resolver.candidates(kind).find((c) => c.namespace !== null && c.namespace !== GLOBAL_NAMESPACE);
    if (!user?.namespace) return;
    const info = this.deps.session.library.info(user.namespace, user.macroName);
    this.deps.session.services.log(
      `${info ? `${info.path}:${info.line}: ` : ''}the ${kind} materialization '${user.macroName}' of '${user.namespace}' is not used: tsdbt runs its built-in ${kind} materialization (materializations written in Jinja apply to models and snapshots)`,
      'warn',
    );
  }

  /** What materializes `node`. */
  for(node: ManifestNode): Materialization {
    const location = { file: node.original_file_path };
    const kind = node.resource_type;
    if (kind === 'snapshot' || kind === 'seed' || kind === 'test') {
      // dbt looks the materialization up by name and adapter for every node type (project > package
      // > core): a snapshot's, a seed's and a data test's own materialization replaces the built-in.
      const chosen = this.kindResolvers[kind].resolve(kind);
      if (chosen?.namespace) return userMaterialization(this.deps, { namespace: chosen.namespace, macroName: chosen.macroName });
      return materializationFor(kind, kind, location);
    }
    // A model's `materialized`, or a function's (dbt 1.11: `function`, the global project's Jinja materialization).
    if (node.resource_type !== 'model' && node.resource_type !== 'function') {
      this.warnIfReplaced(node.resource_type);
      return materializationFor(node.resource_type, node.config.materialized, location);
    }
    const name = node.config.materialized;
    const chosen = this.resolver.resolve(name);
    if (!chosen) {
      // dbt parses and compiles the model; running it fails this node alone, as here.
      const prefixes = this.deps.session.dispatchPrefixes;
      throw new TsdbtError(`No materialization '${name}' was found for adapter ${prefixes[0] ?? 'default'}! (searched types ${prefixes.map((p) => `'${p}'`).join(' and ')})`, {
        code: 'materialization-unknown',
        location: { ...location, ...configLine(node.raw_code, name) },
        hint: `use one of: ${this.resolver.names().join(', ')}, or define {% materialization ${name}, default %} in macros/`,
      });
    }
    if (chosen.namespace === null) return materializationFor(node.resource_type, name, location);
    return userMaterialization(this.deps, { namespace: chosen.namespace, macroName: chosen.macroName });
  }
}

/** The line of the model's text that names the materialization (its `config()` call), if it does. */
function configLine(raw: string, name: string): { line?: number } {
  const at = raw.search(new RegExp(`materialized\\s*=\\s*['"]${name.replace(/[^\w]/g, '\\$&')}['"]`));
  return at < 0 ? {} : { line: raw.slice(0, at).split('\n').length };
}
