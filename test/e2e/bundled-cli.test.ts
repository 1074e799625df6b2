// The CLI as `npm run build` ships it: one esbuild bundle (scripts/bundle-cli.ts), which
// bin/tsdbt.js runs. Bundled, every module sits in one folder, so what a module finds beside
// itself (the global project's macros, the adapter's own macros, package.json) must be found from
// there too: a build through the bundle parses the same macros as the sources do, renders the
// PostgreSQL implementation of a dispatched macro, and writes the rows.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, CLI_HEAD, CLI_TAIL } from '../../scripts/bundle-cli.js';
import { REPO_ROOT, runTsdbt, type CliResult } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { dropTestSchema, profilesYaml, serverTarget } from '../support/postgres-targets.js';

/** Where the bundle goes: beside dist/bundle/, at its depth, as the built package lays it out. */
const OUTDIR = path.join(REPO_ROOT, 'dist', `bundle-test-${process.pid}`);

function runBundle(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(OUTDIR, 'bin.js'), ...args], { env: { ...process.env, NO_COLOR: '1', TSDBT_PROFILES_DIR: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('the bundled CLI', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/days.sql': "select 1 as id, {{ dbt.dateadd('day', 2, \"date '2024-01-30'\") }} as due\n",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: days\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n',
  });
  beforeAll(async () => {
    await bundleCli(OUTDIR);
  });
  afterAll(() => {
    removeDir(OUTDIR);
    removeDir(dir);
  });

  it("finds package.json, the global macros and the adapter's macros from its one folder, and builds", async () => {
    const version = await runBundle(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);

    const fromSources = await runTsdbt(['parse', '--no-partial-parse', '--project-dir', dir]);
    expect(fromSources.code, fromSources.stderr).toBe(0);
    const bundled = await runBundle(['parse', '--no-partial-parse', '--project-dir', dir]);
    expect(bundled.code, bundled.stdout + bundled.stderr).toBe(0);
    const found = (out: string) => /Found .* (\d+) macros/.exec(out)?.[1];
    expect(found(bundled.stdout)).toBeDefined();
    expect(found(bundled.stdout)).toBe(found(fromSources.stdout));

    const build = await runBundle(['build', '--project-dir', dir]);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).toContain('PASS=3');
    // postgres__dateadd (the adapter's macros folder) rendered the model's SQL.
    expect(readFileSync(path.join(dir, 'target/compiled/demo/models/days.sql'), 'utf8')).toContain("interval '1 day'");
    const shown = await runBundle(['show', '--select', 'days', '--output', 'json', '--project-dir', dir]);
    expect(shown.code, shown.stdout + shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/"due":\s*"2024-02-01/);
  });

  it('carries yaml, commander, picocolors, pg and the packages a run loads at start (js-yaml, fastest-levenshtein, color-name, csv-parse, semver) inside (no import of them from node_modules), and a bundled require() of a builtin works', async () => {
    const files = readdirSync(OUTDIR).filter((f) => /\.c?js$/.test(f));
    expect(files.sort()).toEqual(['bin.js', 'cli.cjs', 'lineage-worker.cjs']); // docs generate's column-lineage worker
    for (const pkg of ['yaml', 'commander', 'picocolors', 'pg', 'js-yaml', 'fastest-levenshtein', 'color-name', 'csv-parse', 'semver']) {
      // An import statement at a line's start (not one quoted in a bundled package's doc comment), or a call.
      const imports = files.filter((f) => new RegExp(`^\\s*import\\b[^\\n]*\\bfrom\\s*["']${pkg}["']|(import|require)\\(["']${pkg}["']\\)`, 'm').test(readFileSync(path.join(OUTDIR, f), 'utf8')));
      expect(imports, pkg).toEqual([]);
    }
    // A YAML error reaches yaml's require('process') (its warning and error paths): reported as a user error.
    const bad = testdir({ 'dbt_project.yml': `${MINIMAL_PROJECT_YML}models:\n  demo: [unclosed\n` });
    try {
      const parsed = await runBundle(['parse', '--project-dir', bad]);
      expect(parsed.code).not.toBe(0);
      expect(parsed.stdout + parsed.stderr).toMatch(/dbt_project\.yml/);
      expect(parsed.stdout + parsed.stderr).not.toMatch(/internal error/);
    } finally {
      removeDir(bad);
    }
  });

  it("a run on the PostgreSQL server loads none of the Node modules it does not use (child_process, fs/promises, readline, perf_hooks, assert)", async () => {
    // Each is ~2 ms of CPU at every start on a loaded machine (issue 18): commander's spawn of
    // executable subcommands, debug's git check, the artifact writers' mkdir, the connection's
    // timer, pg-copy-streams (COPY only).
    const target = serverTarget();
    const project = testdir({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'profiles.yml': profilesYaml('demo', target),
      'models/first.sql': 'select 1 as id\n',
      'models/second.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('first') }}\n",
      'list-modules.cjs': "process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_FILE, process.moduleLoadList.join('\\n')));\n",
    });
    const modulesFile = path.join(project, 'modules.txt');
    try {
      const run = await new Promise<CliResult>((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', path.join(project, 'list-modules.cjs'), path.join(OUTDIR, 'bin.js'), 'run', '--project-dir', project, '--profiles-dir', project], {
          env: { ...process.env, NO_COLOR: '1', TSDBT_PROFILES_DIR: '', NODE_OPTIONS: '', MODULES_FILE: modulesFile },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr: '' }));
      });
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toContain('PASS=2');
      const loaded = readFileSync(modulesFile, 'utf8').split('\n');
      expect(loaded).toContain('NativeModule net');
      for (const unused of ['child_process', 'fs/promises', 'readline', 'perf_hooks', 'assert']) expect(loaded, unused).not.toContain(`NativeModule ${unused}`);
    } finally {
      await dropTestSchema(target);
      removeDir(project);
    }
  });

  it("carries nunjucks' lexer and parser inside (nothing of nunjucks required from node_modules), and renders with them", async () => {
    const cli = readFileSync(path.join(OUTDIR, 'cli.cjs'), 'utf8');
    // Any call with a nunjucks path (a require, or createRequire's function under another name).
    expect(cli.match(/\(\s*["']nunjucks(\/[^"']*)?["']\s*\)/g)).toBeNull();
    const compiled = await runBundle(['compile', '--select', 'days', '--project-dir', dir]);
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'target/compiled/demo/models/days.sql'), 'utf8')).toContain("interval '1 day'");
  });

  it('cli.cjs is ASCII text inside CommonJS\'s wrapper, which bin.js compiles as read (latin1, no copy) and `node cli.cjs` runs as a module', async () => {
    const bytes = readFileSync(path.join(OUTDIR, 'cli.cjs'));
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    const text = bytes.toString('latin1');
    expect(text.startsWith(CLI_HEAD)).toBe(true);
    expect(text.endsWith(CLI_TAIL)).toBe(true);
    const direct = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(OUTDIR, 'cli.cjs'), '--version'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    expect(direct.trim()).toBe((await runBundle(['-q', '--version'])).stdout.trim());
  });

  it('answers --version and --help alone (and -v, -h) with what commander prints, without loading cli.cjs; any other argument or width loads it', async () => {
    const fromSources = await runTsdbt(['--help']);
    expect(fromSources.code, fromSources.stderr).toBe(0);
    expect(fromSources.stdout).toContain('Commands:');
    const version = (await runTsdbt(['--version'])).stdout;
    for (const [args, expected] of [[['--help'], fromSources.stdout], [['-h'], fromSources.stdout], [['--version'], version], [['-v'], version]] as const) {
      // NODE_DEBUG=module: Node names each CommonJS module it loads, cli.cjs too; NODE_OPTIONS is cleared so that no other tool's hook loads it.
      const quick = await runBundle([...args], { NODE_DEBUG: 'module', NODE_OPTIONS: '' });
      expect(quick.code, quick.stderr).toBe(0);
      expect(quick.stdout, args.join(' ')).toBe(expected);
      expect(quick.stderr).not.toContain('cli.cjs');
    }
    const loaded = await runBundle(['--help', '--quiet'], { NODE_DEBUG: 'module', NODE_OPTIONS: '' });
    expect(loaded.stdout).toBe(fromSources.stdout);
    expect(loaded.stderr).toContain('cli.cjs');
  });

  it("keeps the code of its own macro files beside it for every project: a project's cold parse takes it from there, with the same result", async () => {
    // builtin-templates-<engine fingerprint>.bin: another build beside it keeps its own file.
    const sharedFiles = () => readdirSync(OUTDIR).filter((f) => /^builtin-templates-[0-9a-f]{16}\.bin$/.test(f));
    for (const f of sharedFiles()) rmSync(path.join(OUTDIR, f), { force: true });
    const parseCold = async () => {
      rmSync(path.join(dir, 'target'), { recursive: true, force: true });
      const run = await runBundle(['parse', '--project-dir', dir]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: unknown; macros: unknown };
      const code = (deserialize(readFileSync(path.join(dir, 'target/template_code.bin'))) as { entries: [string, unknown][] }).entries;
      return { nodes: manifest.nodes, macros: manifest.macros, code: new Map(code) };
    };
    const first = await parseCold();
    expect(sharedFiles()).toHaveLength(1);
    const shared = path.join(OUTDIR, sharedFiles()[0] as string);
    const written = statSync(shared).mtimeMs;
    const kept = (deserialize(readFileSync(shared)) as { entries: [string, unknown][] }).entries;
    // The global project's and the adapter's files (not the project's own: it has none here).
    expect(kept.length).toBeGreaterThan(20);
    const second = await parseCold();
    expect(statSync(shared).mtimeMs).toBe(written); // read, nothing new to write
    expect(second.nodes).toEqual(first.nodes);
    expect(second.macros).toEqual(first.macros);
    // The project's own cache holds the same code either way (its next run reads it alone).
    expect(second.code).toEqual(first.code);
  });

  describe("V8's code cache (bin.js runs cli.cjs through vm.Script)", () => {
    /** A --version that loads cli.cjs (--version alone is answered without it). */
    const LOADED_VERSION = ['-q', '--version'];
    const caches = () => readdirSync(OUTDIR).filter((f) => f.includes('.cache')).sort();
    const clear = () => caches().forEach((f) => rmSync(path.join(OUTDIR, f), { recursive: true, force: true }));

    it('is written per command after it ran, then read as it is (not written again)', async () => {
      clear();
      const first = await runBundle(LOADED_VERSION);
      expect(first.code, first.stderr).toBe(0);
      const written = caches();
      expect(written).toEqual([expect.stringMatching(/^cli-[0-9a-f]{16}-none\.cache$/)]);
      const file = path.join(OUTDIR, written[0] as string);
      const before = statSync(file).mtimeMs;
      const second = await runBundle(LOADED_VERSION);
      expect(second.stdout.trim()).toBe(first.stdout.trim());
      expect(statSync(file).mtimeMs).toBe(before);
      const help = await runBundle(['parse', '--help']);
      expect(help.code, help.stderr).toBe(0);
      expect(caches()).toEqual([...written, written[0]?.replace('-none.', '-parse.')].sort());
    });

    it.each([
      ['docs', ['docs', 'generate', '--help']],
      ['parse', ['parse', '--help']],
      ['run', ['run', '--help']],
    ])('a command bin.js gives V8 flags of its own (%s: v8Flags) has its cache read as it is: the flags are set before anything is compiled', async (command, args) => {
      clear();
      const commandCache = () => caches().filter((f) => f.endsWith(`-${command}.cache`));
      const first = await runBundle(args);
      expect(first.code, first.stderr).toBe(0);
      const [name] = commandCache();
      expect(name).toBeDefined();
      const before = statSync(path.join(OUTDIR, name as string)).mtimeMs;
      const second = await runBundle(args);
      expect(second.stdout).toBe(first.stdout);
      // V8 rejects a cache made under other flags, and bin.js then writes it again.
      expect(statSync(path.join(OUTDIR, name as string)).mtimeMs).toBe(before);
    });

    it("`parse`'s is taken where it knows whether the last parse is current: a cold parse's holds no more than one with nothing changed (not the whole parser)", async () => {
      const parseCache = () => {
        const [name] = caches().filter((f) => f.endsWith('-parse.cache'));
        return name === undefined ? 0 : statSync(path.join(OUTDIR, name)).size;
      };
      clear();
      rmSync(path.join(dir, 'target'), { recursive: true, force: true });
      const cold = await runBundle(['parse', '--project-dir', dir]);
      expect(cold.code, cold.stdout + cold.stderr).toBe(0);
      expect(cold.stdout).toContain('wrote target/manifest.json');
      const afterCold = parseCache();
      clear();
      const current = await runBundle(['parse', '--project-dir', dir]);
      expect(current.stdout).toContain('nothing changed since the last parse');
      const afterCurrent = parseCache();
      expect(afterCurrent).toBeGreaterThan(1000);
      expect(afterCold).toBeGreaterThan(1000);
      expect(afterCold).toBeLessThanOrEqual(afterCurrent);
    });

    it('a cache V8 rejects (stale, corrupt) is replaced; an older build\'s is removed; the command runs as before', async () => {
      clear();
      await runBundle(LOADED_VERSION);
      const [name] = caches();
      writeFileSync(path.join(OUTDIR, name as string), 'not a code cache');
      writeFileSync(path.join(OUTDIR, 'cli-0123456789abcdef-run.cache'), 'an older build');
      const run = await runBundle(LOADED_VERSION);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(caches()).toEqual([name]);
      expect(readFileSync(path.join(OUTDIR, name as string)).length).toBeGreaterThan(1000);
    });

    it("where the bundle's folder cannot take it (a read-only install), the cache goes to the user's cache folder", async () => {
      clear();
      const version = await runBundle(LOADED_VERSION);
      const [name] = caches();
      clear();
      // A folder in the cache's place: it can be neither read nor replaced.
      mkdirSync(path.join(OUTDIR, name as string, 'x'), { recursive: true });
      const home = testdir({});
      try {
        const run = await runBundle(LOADED_VERSION, { XDG_CACHE_HOME: home });
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toBe(version.stdout);
        expect(run.stderr).toBe('');
        expect(caches()).toEqual([name]);
        const userCache = path.join(home, 'tsdbt', name as string);
        const written = statSync(userCache).mtimeMs;
        const again = await runBundle(LOADED_VERSION, { XDG_CACHE_HOME: home });
        expect(again.stdout).toBe(version.stdout);
        expect(statSync(userCache).mtimeMs).toBe(written);
        // Nowhere to write: the command runs all the same.
        writeFileSync(path.join(home, 'tsdbt-file'), '');
        const nowhere = await runBundle(LOADED_VERSION, { XDG_CACHE_HOME: path.join(home, 'tsdbt-file') });
        expect(nowhere.code, nowhere.stderr).toBe(0);
        expect(nowhere.stdout).toBe(version.stdout);
        expect(nowhere.stderr).toBe('');
        expect(caches()).toEqual([name]);
      } finally {
        removeDir(home);
        clear();
      }
    });
  });
});
