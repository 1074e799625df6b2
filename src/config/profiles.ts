// profiles.yml: found as dbt finds it (TSDBT_PROFILES_DIR first, then --profiles-dir,
// DBT_PROFILES_DIR, the project folder, ~/.dbt; a relative folder from those three is relative to the
// working directory, as dbt's click path is, not to --project-dir), Jinja in values rendered (env_var, as_number),
// `--profile` and `--target` applied. With no profiles.yml anywhere: an embedded PGlite database
// under target/, whose one target is `dev`: naming another target or a profile is then an error.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AdapterTargetConfig } from '../adapters/adapter.js';
import { EMBEDDED_DEFAULT, knownAdapterTypes } from '../adapters/index.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { ResolvedProfile } from './types.js';
import { isPlainObject, readYamlFile } from './yaml-file.js';

export interface LoadProfileOptions {
  projectDir: string;
  /** The working directory the user's relative folder names are read from. */
  cwd: string;
  profilesDir?: string;
  profileName: string;
  /** The profile was named on the command line (`--profile`), not by dbt_project.yml. */
  profileFromFlag?: boolean;
  /** `--target`: the target to use instead of the profile's default. */
  targetName?: string;
  env: NodeJS.ProcessEnv;
  targetDir: string;
  renderValue: (template: string, location: SourceLocation) => unknown;
}

/**
 * Folders searched for profiles.yml, in order. The folders the user names (TSDBT_PROFILES_DIR,
 * --profiles-dir, DBT_PROFILES_DIR) are relative to the working directory, as dbt's are: a CI that
 * runs `DBT_PROFILES_DIR=./integration_tests/profiles dbt run --project-dir ./integration_tests`
 * from the repository's root finds `./integration_tests/profiles`. A --profiles-dir given ends the search.
 */
export function profileSearchPath(opts: Pick<LoadProfileOptions, 'projectDir' | 'cwd' | 'profilesDir' | 'env'>): string[] {
  // --profiles-dir is the last folder read, as dbt's PROFILES_DIR (the flag wins over DBT_PROFILES_DIR,
  // the project and ~/.dbt); only tsdbt's own TSDBT_PROFILES_DIR comes before it.
  const flag = opts.profilesDir !== undefined && opts.profilesDir !== '';
  const given = [opts.env.TSDBT_PROFILES_DIR, opts.profilesDir, flag ? undefined : opts.env.DBT_PROFILES_DIR].filter((d): d is string => typeof d === 'string' && d !== '');
  if (flag) return given.map((dir) => path.resolve(opts.projectDir, userDir(dir, opts.cwd)));
  const dirs = [...given.map((dir) => userDir(dir, opts.cwd)), opts.projectDir];
  const home = opts.env.HOME ?? os.homedir();
  if (home) dirs.push(path.join(home, '.dbt'));
  return dirs.map((d) => path.resolve(opts.projectDir, d));
}

/** A profiles folder the user named, made absolute against the working directory. */
export function userDir(dir: string, cwd: string): string {
  return path.resolve(cwd, dir);
}

export function loadProfile(opts: LoadProfileOptions): ResolvedProfile {
  const explicit = opts.profilesDir ?? (opts.env.TSDBT_PROFILES_DIR || undefined);
  const found = profileSearchPath(opts).map((d) => path.join(d, 'profiles.yml')).find((f) => existsSync(f));
  if (!found) {
    if (explicit) {
      throw new TsdbtError(`no profiles.yml in ${userDir(explicit, opts.cwd)}`, {
        code: 'profile-missing',
        hint: 'create it there (see profiles.example.yml), or drop the option to use the embedded database',
      });
    }
    refuseNamedTargetWithoutProfiles(opts);
    return embeddedDefault(opts);
  }
  const display = path.relative(opts.projectDir, found).startsWith('..') ? found : path.relative(opts.projectDir, found);
  const yaml = readYamlFile(found, display);
  const root = isPlainObject(yaml.value) ? yaml.value : {};
  const profile = root[opts.profileName];
  const available = Object.keys(root).filter((k) => k !== 'config');
  if (!isPlainObject(profile)) {
    // dbt's words (config/profile.py), the file named by the location.
    throw new TsdbtError(`Could not find profile named '${opts.profileName}'`, {
      code: 'profile-missing',
      location: { file: display, line: 1 },
      hint: available.length ? `profiles in this file: ${available.join(', ')}; set \`profile:\` in dbt_project.yml to one of them` : `add a '${opts.profileName}:' profile`,
    });
  }
  const outputs = isPlainObject(profile.outputs) ? profile.outputs : {};
  const rawTargetName = opts.targetName ?? profile.target;
  const targetName = typeof rawTargetName === 'string' ? String(opts.renderValue(rawTargetName, yaml.locate([opts.profileName, 'target']))) : undefined;
  if (!targetName) {
    throw new TsdbtError(`profile '${opts.profileName}' has no default target`, {
      code: 'profile-invalid',
      location: yaml.locate([opts.profileName]),
      hint: `add \`target: ${Object.keys(outputs)[0] ?? 'dev'}\` or pass --target`,
    });
  }
  const output = outputs[targetName];
  if (!isPlainObject(output)) {
    throw new TsdbtError(`The profile '${opts.profileName}' does not have a target named '${targetName}'.`, {
      code: 'profile-target-missing',
      location: yaml.locate([opts.profileName, 'outputs']),
      hint: `targets in this profile: ${Object.keys(outputs).join(', ') || 'none'}`,
    });
  }
  const rendered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(output)) {
    if (typeof value !== 'string') rendered[key] = value;
    else if (key !== 'password') rendered[key] = opts.renderValue(value, yaml.locate([opts.profileName, 'outputs', targetName, key]));
    else rendered[key] = renderedPassword(value, (v) => opts.renderValue(v, yaml.locate([opts.profileName, 'outputs', targetName, key])));
  }
  const type = rendered.type;
  if (typeof type !== 'string') {
    throw new TsdbtError(`target '${targetName}' has no \`type\``, { code: 'profile-invalid', location: yaml.locate([opts.profileName, 'outputs', targetName]), hint: `add \`type:\` (one of: ${knownAdapterTypes().join(', ')})` });
  }
  const database = rendered.dbname ?? rendered.database;
  const schema = rendered.schema ?? rendered.dataset;
  if (typeof schema !== 'string' || schema === '') {
    throw new TsdbtError(`target '${targetName}' has no \`schema\``, { code: 'profile-invalid', location: yaml.locate([opts.profileName, 'outputs', targetName]), hint: 'add `schema: analytics` (the schema models are built in)' });
  }
  const threads = rendered.threads === undefined ? 1 : Number(rendered.threads);
  const target: AdapterTargetConfig = {
    ...rendered,
    type,
    name: targetName,
    schema,
    threads: Number.isInteger(threads) && threads > 0 ? threads : 1,
    ...(database !== undefined ? { database: String(database) } : {}),
  };
  const configFlags = isPlainObject(root.config) && Object.keys(root.config).length > 0 ? { configFlags: root.config } : {};
  return { target, profileName: opts.profileName, targetName, file: found, embeddedDefault: false, warnings: yaml.warnings, ...configFlags };
}

/** The target of the embedded default (no profiles.yml anywhere). */
const EMBEDDED_TARGET = 'dev';

/**
 * Without a profiles.yml, only the embedded default's own target may be named: a `--target prod`
 * or `--profile x` that silently built on the embedded database would exit 0 having built nothing
 * the user asked for.
 */
function refuseNamedTargetWithoutProfiles(opts: LoadProfileOptions): void {
  const searched = profileSearchPath(opts).join(', ');
  if (opts.profileFromFlag) {
    throw new TsdbtError(`profile '${opts.profileName}' (--profile) not found: no profiles.yml in ${searched}`, {
      code: 'profile-missing',
      hint: 'create profiles.yml in one of those folders (or point --profiles-dir at it), or drop --profile to build on the embedded database',
    });
  }
  if (opts.targetName !== undefined && opts.targetName !== EMBEDDED_TARGET) {
    throw new TsdbtError(`target '${opts.targetName}' (--target) of profile '${opts.profileName}' not found: no profiles.yml in ${searched}`, {
      code: 'profile-target-missing',
      hint: `create profiles.yml with a '${opts.profileName}' profile and its '${opts.targetName}' target in one of those folders (or point --profiles-dir at it); without a profiles.yml the only target is the embedded database's '${EMBEDDED_TARGET}'`,
    });
  }
}

function embeddedDefault(opts: LoadProfileOptions): ResolvedProfile {
  const { type, path: file, database } = EMBEDDED_DEFAULT.target(opts.targetDir);
  return {
    target: { type, name: EMBEDDED_TARGET, path: file, schema: 'analytics', threads: 4, database },
    profileName: opts.profileName,
    targetName: EMBEDDED_TARGET,
    file: null,
    embeddedDefault: true,
  };
}

/**
 * A `password` whose text is not valid Jinja (`no{{jinja{%re{#ndering`) is taken as written, as
 * dbt's SecretRenderer does for a key path holding "password"; one that renders is rendered.
 */
function renderedPassword(value: string, render: (v: string) => unknown): unknown {
  try {
    return render(value);
  } catch {
    return value;
  }
}
