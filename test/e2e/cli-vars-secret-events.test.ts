// --vars with a DBT_ENV_SECRET_* name in dbt's debug events (dbt-core's TestCLIVarsScrubbing):
// every parse fires StateCheckVarsHash (ManifestLoader.build_manifest_state_check) with the digest
// of the --vars as pprint.pformat writes them, --profile, --target and dbt's version, the vars shown
// with the secret's value `*****`; a var a model needs and nobody gives is dbt's
// RequiredVarNotFoundError, "Vars supplied to <model> = <json.dumps(vars, sort_keys=True, indent=4)>",
// fired as CatchableExceptionOnRun (debug) by the runner that met it, secrets scrubbed.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DBT_VERSION } from '../../src/manifest/dbt-version.js';
import { jsonLogEvents } from '../support/json-log.js';
import { PGLITE_PROFILES } from '../support/parse-files.js';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

let dir: string;
beforeAll(() => {
  dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PGLITE_PROFILES, 'models/simple_model.sql': "select '{{ var(\"DBT_ENV_SECRET_simple\") }}'::varchar as simple\n" });
});
afterAll(() => removeDir(dir));

const run = (vars: string) => runTsdbt(['--debug', '--log-format', 'json', 'run', '--project-dir', dir, '--profiles-dir', dir, '--vars', vars]);

describe('secret --vars in debug events', () => {
  it('StateCheckVarsHash shows the vars scrubbed, its checksum over them as given', async () => {
    const result = await run('{DBT_ENV_SECRET_simple: abc, unused: def}');
    expect(result.code, result.stderr).toBe(0);
    const events = jsonLogEvents(result.stdout).filter((e) => e.name === 'StateCheckVarsHash');
    expect(events).toHaveLength(1);
    const checksum = createHash('sha256').update(`{'DBT_ENV_SECRET_simple': 'abc', 'unused': 'def'}\0\0\0${DBT_VERSION}`).digest('hex');
    expect(events[0]?.data).toEqual({ checksum, vars: "{'DBT_ENV_SECRET_simple': '*****', 'unused': 'def'}", profile: '', target: '', version: DBT_VERSION });
    expect(events[0]?.code).toBe('I025');
  });

  it("a missing var's error lists the vars given, scrubbed, in CatchableExceptionOnRun", async () => {
    const result = await run('{DBT_ENV_SECRET_unused: abc, unused: def}');
    expect(result.code).toBe(1);
    const events = jsonLogEvents(result.stdout).filter((e) => e.name === 'CatchableExceptionOnRun');
    expect(events).toHaveLength(1);
    expect(events[0]?.level).toBe('debug');
    expect(events[0]?.msg).toContain("Required var 'DBT_ENV_SECRET_simple' not found in config:");
    expect(events[0]?.msg).toContain('Vars supplied to simple_model = {\n      "DBT_ENV_SECRET_unused": "*****",\n      "unused": "def"\n  }');
    expect(result.stdout).not.toContain('abc');
  });
});
