// The resolver of a parse session's materializations (manifest/materialization-candidates.ts over
// its macros): parsing checks a model's `materialized` against the names it knows, and
// materializations/node-materialization.ts picks what materializes a node with it.
import type { AdapterCapabilities } from '../adapters/adapter.js';
import type { ParseSession } from './parse-session.js';
import { GLOBAL_NAMESPACE } from '../jinja/dbt/macro-scope.js';
import { KNOWN_MATERIALIZATIONS } from '../manifest/known-materializations.js';
import { MaterializationResolver } from '../manifest/materialization-candidates.js';

export interface ResolverSettings {
  capabilities?: Pick<AdapterCapabilities, 'ownMaterializations'>;
  /** dbt_project.yml `flags: require_explicit_package_overrides_for_builtin_materializations` (default true). */
  requireExplicitPackageOverrides?: boolean;
}

/** The resolver over a parse session's macros. */
export function materializationResolver(session: ParseSession, settings: ResolverSettings = {}): MaterializationResolver {
  return new MaterializationResolver({
    macros: session.library,
    rootProject: session.services.projectName,
    coreNamespaces: new Set([GLOBAL_NAMESPACE]),
    prefixes: session.dispatchPrefixes,
    builtins: KNOWN_MATERIALIZATIONS,
    ownBuiltins: settings.capabilities?.ownMaterializations ?? [],
    requireExplicitPackageOverrides: settings.requireExplicitPackageOverrides ?? true,
    warn: (message) => session.services.log(message, 'warn'),
  });
}
