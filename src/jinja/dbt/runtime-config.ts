// dbt's RuntimeConfig as templates reach it: `ref.config` (and `builtins.ref.config`), since dbt's
// ref resolver keeps the run's config as its `config` attribute. Elementary's and the Tuva
// project's `get_runtime_config()` read it for the installed packages' versions
// (`dependencies['elementary'].version`), the project's name, the command's arguments (`args.select`,
// project flags such as `args.require_explicit_package_overrides_for_builtin_materializations`)
// and the vars (`cli_vars`, `vars.to_dict()`); `adapter.config` is the same object (Elementary's
// create_elementary_test_table reads `adapter.config.quoting`). One object per invocation, read-only.

/** One project of the run: the root project or an installed package. */
export interface RuntimeProject {
  name: string;
  /** dbt_project.yml's `version:` (null when it has none). */
  version: string | null;
}

export interface RuntimeConfigFacts {
  /** The root project first, then the installed packages. */
  projects: RuntimeProject[];
  profileName: string;
  targetName: string;
  /** dbt_project.yml's raw `vars:` block (what dbt's VarProvider holds). */
  projectVars: Record<string, unknown>;
  /** `--vars`, parsed. */
  cliVars: Record<string, unknown>;
  /** dbt_project.yml's `flags:` block. */
  projectFlags: Record<string, unknown>;
  /** dbt_project.yml's `quoting:` block (RuntimeConfig.quoting; empty when it has none). */
  quoting?: Record<string, unknown>;
  /** The command's arguments (dbt's invocation_args_dict), read when a template asks. */
  invocationArgs: () => Record<string, unknown>;
}

/** The object `ref.config` gives: the attributes of dbt's RuntimeConfig that packages read. */
export function runtimeConfigObject(facts: RuntimeConfigFacts): Record<string, unknown> {
  const [root] = facts.projects;
  // dbt's RuntimeConfig.dependencies: each project of the run by name (root included), itself a config.
  const dependencies: Record<string, unknown> = {};
  for (const p of facts.projects) dependencies[p.name] ??= { project_name: p.name, version: p.version };
  const vars = facts.projectVars;
  const config: Record<string, unknown> = {
    project_name: root?.name ?? null,
    version: root?.version ?? null,
    profile_name: facts.profileName,
    target_name: facts.targetName,
    dependencies,
    quoting: facts.quoting ?? {},
    cli_vars: facts.cliVars,
    // dbt's VarProvider: `.vars` is the block, `.to_dict()` returns it.
    vars: { vars, to_dict: () => vars },
  };
  // dbt's flags namespace: the command's arguments over the project's flags, lower-case.
  Object.defineProperty(config, 'args', { enumerable: true, get: () => ({ ...facts.projectFlags, ...facts.invocationArgs() }) });
  return config;
}
