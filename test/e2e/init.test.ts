// tsdbt init (dbt's InitTask): dbt's starter project and a profiles.yml entry, from flags or
// asked through streams (driven here through a pipe, not a terminal); the new project builds on
// PGlite; an existing profile is never overwritten without a yes; a refused init writes nothing.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { execFile } from 'node:child_process';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { initCommand, type InitOptions } from '../../src/app/init-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { reportFatal } from '../../src/cli/error-output.js';
import { queryProjectPglite } from '../support/pglite-query.js';
import { cliArgs } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

interface Run {
  code: number;
  said: string[];
  asked: string;
}

/** Runs init in `home` (the profiles go to home/.dbt); `typed` lines are piped in as answers. */
async function init(home: string, options: Partial<InitOptions>, typed?: string[]): Promise<Run> {
  const said: string[] = [];
  const input = new PassThrough();
  const output = new PassThrough();
  let asked = '';
  output.on('data', (d: Buffer) => (asked += d.toString()));
  if (typed) input.end(typed.map((l) => `${l}\n`).join(''));
  let code: number;
  try {
    code = await initCommand({ cwd: home, env: { HOME: home }, answers: {}, streams: { input, output }, interactive: typed !== undefined, say: (l) => said.push(l), ...options });
  } catch (err) {
    code = reportFatal(err, (l) => said.push(l), 'text');
  }
  return { code, said, asked };
}

/** The CLI run in `cwd` (init writes there), stdin not a terminal. */
function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, cliArgs(args), { cwd, env: { ...process.env, HOME: cwd, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', NO_COLOR: '1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

const profiles = (home: string) => parse(readFileSync(path.join(home, '.dbt/profiles.yml'), 'utf8')) as Record<string, unknown>;

describe('tsdbt init', () => {
  const dirs: string[] = [];
  const home = () => {
    const dir = testdir({});
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) removeDir(d);
  });

  it("from flags: dbt's starter project and a pglite profile; the project builds once the starter's null id is filtered", async () => {
    const dir = home();
    const run = await init(dir, { projectName: 'shop', adapter: 'pglite', answers: { schema: 'dev_shop', threads: '2' } });
    expect(run.code, run.said.join('\n')).toBe(0);
    const project = path.join(dir, 'shop');
    expect(readdirSync(project).sort()).toEqual(['.gitignore', 'README.md', 'analyses', 'dbt_project.yml', 'macros', 'models', 'seeds', 'snapshots', 'tests']);
    for (const folder of ['analyses', 'macros', 'seeds', 'snapshots', 'tests']) expect(readdirSync(path.join(project, folder))).toEqual(['.gitkeep']);
    expect(readdirSync(path.join(project, 'models/example')).sort()).toEqual(['my_first_dbt_model.sql', 'my_second_dbt_model.sql', 'schema.yml']);
    const projectYml = parse(readFileSync(path.join(project, 'dbt_project.yml'), 'utf8')) as Record<string, unknown>;
    expect(projectYml).toMatchObject({ name: 'shop', version: '1.0.0', profile: 'shop', 'model-paths': ['models'], 'seed-paths': ['seeds'], models: { shop: { example: { '+materialized': 'view' } } } });
    expect(readFileSync(path.join(project, 'models/example/my_second_dbt_model.sql'), 'utf8')).toContain("from {{ ref('my_first_dbt_model') }}\nwhere id = 1");
    expect(readFileSync(path.join(project, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['target/', 'dbt_packages/', 'logs/']));
    expect(profiles(dir)).toEqual({ shop: { outputs: { dev: { type: 'pglite', path: 'target/tsdbt.pglite', schema: 'dev_shop', threads: 2 } }, target: 'dev' } });

    const build = async () => {
      const lines: string[] = [];
      const inv = createInvocation({ projectDir: project, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir }, write: (l) => lines.push(l), color: false });
      const code = await runCommand(inv, 'build');
      const results = (JSON.parse(readFileSync(path.join(project, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] }).results;
      return { code, output: lines.join('\n'), statuses: Object.fromEntries(results.map((r) => [r.unique_id.replace(/\.[0-9a-f]{10}$/, ''), r.status])) };
    };
    // As with dbt's starter: the null id fails not_null, and what depends on it is skipped.
    const first = await build();
    expect(first.code).toBe(1);
    expect(first.output).toContain("Concurrency: 2 threads (target='dev')");
    expect(first.statuses['test.shop.not_null_my_first_dbt_model_id']).toBe('fail');
    // The starter's own instruction: uncomment `where id is not null`.
    const model = path.join(project, 'models/example/my_first_dbt_model.sql');
    writeFileSync(model, readFileSync(model, 'utf8').replace('-- where id is not null', 'where id is not null'));
    const second = await build();
    expect(second.code, second.output).toBe(0);
    expect(second.statuses).toEqual({
      'model.shop.my_first_dbt_model': 'success',
      'test.shop.not_null_my_first_dbt_model_id': 'pass',
      'test.shop.unique_my_first_dbt_model_id': 'pass',
      'model.shop.my_second_dbt_model': 'success',
      'test.shop.not_null_my_second_dbt_model_id': 'pass',
      'test.shop.unique_my_second_dbt_model_id': 'pass',
    });
    expect(await queryProjectPglite(project, 'select id from dev_shop.my_second_dbt_model')).toEqual([{ id: 1 }]);
  });

  it('asks on a (piped) terminal: the name until valid, the adapter by number, each setting with its default', async () => {
    const dir = home();
    const run = await init(dir, {}, ['bad-name', 'shop', '9', '2', '', 'marts', 'many', '3']);
    expect(run.code, run.said.join('\n')).toBe(0);
    expect(run.asked).toContain('Enter a name for your project (letters, digits, underscore): ');
    expect(run.asked).toContain('bad-name is not a valid project name.');
    expect(run.asked).toMatch(/Which database would you like to use\?\n\[1\] postgres: .*\n\[2\] pglite: .*\n\[3\] clickhouse: .*\n\[4\] chdb: .*\n\nEnter a number: /);
    expect(run.asked).toContain('enter a number from 1 to 4');
    expect(run.asked).toContain('path (the database folder, relative to the project) [target/tsdbt.pglite]: ');
    expect(run.asked).toContain('threads (1 or more) [1]: enter a whole number\nthreads (1 or more) [1]: ');
    expect(profiles(dir).shop).toEqual({ outputs: { dev: { type: 'pglite', path: 'target/tsdbt.pglite', schema: 'marts', threads: 3 } }, target: 'dev' });
    expect(existsSync(path.join(dir, 'shop/dbt_project.yml'))).toBe(true);
  });

  it('an existing profile: kept on "n", replaced on "y" (other profiles and comments kept); refused off a terminal', async () => {
    const dir = home();
    mkdirSync(path.join(dir, '.dbt'));
    const before = '# team profiles\nshop:\n  target: prod # the live one\n  outputs:\n    prod: {type: postgres, host: db.internal, user: svc, dbname: shop}\nother:\n  target: dev\n  outputs:\n    dev: {type: pglite}\n';
    writeFileSync(path.join(dir, '.dbt/profiles.yml'), before);

    const refused = await init(dir, { projectName: 'shop', adapter: 'pglite' });
    expect(refused.code).toBe(2);
    expect(refused.said.join('\n')).toContain(`the profile shop already exists in ${path.join(dir, '.dbt/profiles.yml')}`);
    expect(existsSync(path.join(dir, 'shop')), 'a refused init writes nothing').toBe(false);

    const kept = await init(dir, { projectName: 'shop', adapter: 'pglite' }, ['n']);
    expect(kept.code).toBe(0);
    expect(kept.asked).toContain('The profile shop already exists in');
    expect(readFileSync(path.join(dir, '.dbt/profiles.yml'), 'utf8')).toBe(before);
    expect(existsSync(path.join(dir, 'shop/dbt_project.yml'))).toBe(true);

    // Inside the project, without a name: its profile only, after a yes.
    const yes = await init(path.join(dir, 'shop'), { adapter: 'pglite', env: { HOME: dir } }, ['y', '', '', '']);
    expect(yes.code, yes.said.join('\n')).toBe(0);
    const text = readFileSync(path.join(dir, '.dbt/profiles.yml'), 'utf8');
    expect(text).toContain('# team profiles');
    expect(parse(text)).toMatchObject({ shop: { target: 'dev', outputs: { dev: { type: 'pglite', schema: 'analytics' } } }, other: { target: 'dev' } });
  });

  it("inside a project, --profile is dbt's Runtime Error (the project's `profile:` decides); profiles.yml is left alone", async () => {
    const dir = home();
    mkdirSync(path.join(dir, '.dbt'));
    const before = 'shop:\n  target: dev\n  outputs:\n    dev: {type: pglite}\n';
    writeFileSync(path.join(dir, '.dbt/profiles.yml'), before);
    mkdirSync(path.join(dir, 'shop'));
    writeFileSync(path.join(dir, 'shop/dbt_project.yml'), 'name: shop\nprofile: shop\n');
    const run = await init(path.join(dir, 'shop'), { profile: 'shop', env: { HOME: dir } });
    expect(run.code).toBe(2);
    expect(run.said.join('\n')).toContain('Can not init existing project with specified profile, edit dbt_project.yml instead');
    expect(readFileSync(path.join(dir, '.dbt/profiles.yml'), 'utf8')).toBe(before);
  });

  it('off a terminal, missing answers are one error naming every flag; nothing is written', async () => {
    const dir = home();
    const run = await init(dir, { adapter: 'postgres', answers: { port: '5433' } });
    expect(run.code).toBe(2);
    expect(run.said.join('\n')).toContain('tsdbt init is not on a terminal, so it cannot ask for: the project name (tsdbt init <project_name>), --user, --password, --dbname');
    const bad = await init(dir, { projectName: 'shop', adapter: 'postgres', answers: { port: 'x' } });
    expect(bad.said.join('\n')).toContain("--port must be a whole number, got 'x'");
    expect(readdirSync(dir)).toEqual([]);
    const existing = await init(dir, { projectName: 'shop', skipProfileSetup: true, profile: 'nope' });
    expect(existing.code).toBe(2);
    expect(existing.said.join('\n')).toContain("profile 'nope' not found");
  });

  it('the CLI: flags off a terminal (stdin is not one), exit 2 with the missing flags', async () => {
    const dir = home();
    const ok = await cli(['init', 'cli_shop', '--adapter', 'chdb', '--schema', 'lake', '--threads', '4'], dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(profiles(dir).cli_shop).toEqual({ outputs: { dev: { type: 'clickhouse', driver: 'chdb', path: 'target/tsdbt.chdb', schema: 'lake', threads: 4 } }, target: 'dev' });
    const missing = await cli(['init', 'other_shop'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot ask for: --adapter (postgres, pglite, clickhouse, chdb)');
  });

  it("--project-dir names the project whose profile is set up, as dbt's get_nearest_project_dir (run from outside it)", async () => {
    const dir = home();
    mkdirSync(path.join(dir, 'proj'));
    writeFileSync(path.join(dir, 'proj/dbt_project.yml'), 'name: shop\nprofile: shop_profile\n');
    // In the project: with -s nothing is written, and no new project is asked for.
    const skipped = await cli(['init', '--project-dir', 'proj', '--skip-profile-setup'], dir);
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['proj']);
    const profile = await cli(['init', '--project-dir', path.join(dir, 'proj'), '--adapter', 'pglite'], dir);
    expect(profile.code, profile.stdout + profile.stderr).toBe(0);
    expect(Object.keys(profiles(dir))).toEqual(['shop_profile']);
  });
});
