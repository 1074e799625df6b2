// The peer of the parse bench: Dataform's CLI (an npm package) compiling the same graph as a
// generated tsdbt project. Installed into a temporary folder with npm (never a dependency of
// tsdbt); each model becomes a .sqlx with the same refs (`${ref("model_N")}`), the macro call
// written out, the is_incremental() branch as Dataform's `${when(incremental(), ...)}` and the two
// schema tests as assertions (nonNull, uniqueKey). Timed after one warm-up compile, which also
// installs @dataform/core into Dataform's own cache. Returns null seconds with the reason when
// npm or Dataform cannot run (offline, say).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function dataformPeer(tsdbtProject: string, models: number): { version: string; seconds: number | null; reason?: string } {
  const work = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-dataform-'));
  try {
    try {
      execFileSync('npm', ['install', '--prefix', work, '@dataform/cli', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'pipe', timeout: 300_000 });
    } catch (err) {
      return { version: '?', seconds: null, reason: `npm install @dataform/cli failed: ${(err as Error).message.split('\n')[0]}` };
    }
    const version = (JSON.parse(readFileSync(path.join(work, 'node_modules/@dataform/cli/package.json'), 'utf8')) as { version: string }).version;
    const core = execFileSync('npm', ['view', '@dataform/core', 'version'], { encoding: 'utf8', timeout: 60_000 }).trim();
    const project = path.join(work, 'project');
    mkdirSync(path.join(project, 'definitions'), { recursive: true });
    writeFileSync(path.join(project, 'workflow_settings.yaml'), `defaultProject: bench\ndefaultLocation: US\ndefaultDataset: bench\ndataformCoreVersion: ${core}\n`);
    let written = 0;
    for (const folder of readdirSync(path.join(tsdbtProject, 'models'))) {
      for (const file of readdirSync(path.join(tsdbtProject, 'models', folder)).filter((f) => f.endsWith('.sql'))) {
        const sql = readFileSync(path.join(tsdbtProject, 'models', folder, file), 'utf8');
        const body = sql
          .replace(/^\{\{ config\(.*\) \}\}\n/, '')
          .replace(/\{\{ ref\('(\w+)'\) \}\}/g, '${ref("$1")}')
          .replace(/\{\{ cents_to_dollars\('([\w.]+)'\) \}\}/g, 'round($1 / 100.0, 2)')
          .replace(/\{% if is_incremental\(\) %\}\n([\s\S]*?)\{% endif %\}\n/, (_m, where: string) => '${when(incremental(), `' + where.replace('{{ this }}', '${self()}').trim() + '`)}\n');
        writeFileSync(path.join(project, 'definitions', file.replace(/\.sql$/, '.sqlx')), `config { type: "view", tags: ["${folder}"], assertions: { nonNull: ["id"], uniqueKey: ["id"] } }\n${body}`);
        written++;
      }
    }
    if (written !== models) return { version, seconds: null, reason: `wrote ${written} of ${models} models` };
    const bin = path.join(work, 'node_modules/.bin/dataform');
    const compile = () => spawnSync(bin, ['compile', project, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 600_000 });
    const warm = compile();
    if (warm.status !== 0) return { version, seconds: null, reason: `dataform compile exited ${warm.status}: ${warm.stderr.slice(0, 300)}` };
    const started = process.hrtime.bigint();
    const timed = compile();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (timed.status !== 0) return { version, seconds: null, reason: `dataform compile exited ${timed.status}` };
    const tables = (JSON.parse(timed.stdout) as { tables?: unknown[] }).tables?.length ?? 0;
    if (tables !== models) return { version, seconds: null, reason: `Dataform compiled ${tables} of ${models} tables` };
    return { version, seconds };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
