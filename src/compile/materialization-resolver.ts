// The resolver of a render session's materializations (manifest/materialization-candidates.ts over
// its macros): materializations/node-materialization.ts picks what materializes a node with it.
import type { AdapterCapabilities } from '../adapters/adapter.js';
import type { RenderCore } from './render-phase.js';
import { GLOBAL_NAMESPACE } from '../jinja/dbt/macro-scope.js';
import { KNOWN_MATERIALIZATIONS } from '../manifest/known-materializations.js';
import { MaterializationResolver } from '../manifest/materialization-candidates.js';

export interface ResolverSettings {
  capabilities?: Pick<AdapterCapabilities, 'ownMaterializations'>;
  /** dbt_project.yml `flags: require_explicit_package_overrides_for_builtin_materializations` (default true). */
  requireExplicitPackageOverrides?: boolean;
  /** The built-ins to resolve among (default: the model materializations); `['snapshot']` for snapshot nodes. */
  builtins?: readonly string[];
}

/** The macros a resolver reads: a render session's, or its parse phase's (which are the session's). */
type MacroSource = Pick<RenderCore, 'library' | 'services' | 'dispatchPrefixes'>;

/** The resolver over a render session's macros. */
export function materializationResolver(session: MacroSource, settings: ResolverSettings = {}): MaterializationResolver {
  return new MaterializationResolver({
    macros: session.library,
    rootProject: session.services.projectName,
    coreNamespaces: new Set([GLOBAL_NAMESPACE]),
    prefixes: session.dispatchPrefixes,
    // An adapter's own built-ins (dbt-clickhouse's `dictionary`) exist on that adapter only.
    builtins: settings.builtins ?? [...new Set([...KNOWN_MATERIALIZATIONS, ...(settings.capabilities?.ownMaterializations ?? [])])],
    ownBuiltins: settings.capabilities?.ownMaterializations ?? [],
    requireExplicitPackageOverrides: settings.requireExplicitPackageOverrides ?? true,
    warn: (message, event) => session.services.log(message, 'warn', event),
    note: (message) => session.services.log(message, 'debug'),
  });
}
