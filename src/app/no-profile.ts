// dbt 1.11 refuses a project without `profile:` (and no --profile) where a command loads the
// profile (dbt's Profile.pick_profile_name, a DbtProjectError: "Runtime Error", exit 2); `deps`,
// `clean` and `init` do not load it. tsdbt once fell back to the project's name.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** The profile name a command loads: `--profile`, else dbt_project.yml's `profile:`, else dbt's error. */
export function pickProfileName(fromFlag: string | undefined, fromProject: string | null, where: { cwd: string; env: Record<string, string | undefined> }): string {
  const name = fromFlag ?? fromProject;
  if (name !== undefined && name !== null) return name;
  // dbt's message names its default profiles folder: the working directory's profiles.yml, else ~/.dbt.
  const folder = existsSync(path.join(where.cwd, 'profiles.yml')) ? where.cwd : path.join(where.env.HOME ?? os.homedir(), '.dbt');
  throw new TsdbtError(
    [
      'dbt cannot run because no profile was specified for this dbt project.',
      'To specify a profile for this project, add a line like the this to',
      'your dbt_project.yml file:',
      '',
      'profile: [profile name]',
      '',
      'Here, [profile name] should be replaced with a profile name',
      'defined in your profiles.yml file. You can find profiles.yml here:',
      '',
      `${folder}/profiles.yml`,
    ].join('\n'),
    { code: 'profile-missing', location: { file: 'dbt_project.yml' }, hint: 'add `profile: <name>` to dbt_project.yml, or pass --profile <name>' },
  );
}
