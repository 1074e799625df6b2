// Start-up stays cheap (issue 18: `tsdbt --version` / `--help` under 0.1 s): what the CLI entry
// imports statically, followed through src/ transitively, must not reach the heavy packages; they
// load with the command that needs them (`lazy()` in src/cli/main.ts). Timing lives in
// bench/startup.ts; this checks the cause, deterministically. (Modules loaded through createRequire,
// as nunjucks is, are not followed: keep such calls inside the functions that need them.)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '..', '..', 'src');
const HEAVY = ['pg', 'pg-copy-streams', '@electric-sql/pglite', '@clickhouse/client', 'chdb', 'kafkajs', 'nunjucks', 'elkjs', 'node-sql-parser', 'markdown-it', 'ajv', 'yaml', 'js-yaml', 'csv-parse', 'prom-client', 'croner', 'tar', 'semver', 'playwright-core'];

/** The value (not type-only) imports of a module: `import x from '...'`, `export ... from '...'`. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    if (!m[1]) out.push(m[2] as string);
  }
  return out;
}

/** Every package (and node: builtin) the module reaches through static imports, with the chain that reached it. */
function reachedPackages(entry: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
        if (existsSync(target)) visit(target, [...chain, path.relative(SRC, target)]);
      } else if (spec.startsWith('node:')) {
        if (!packages.has(spec)) packages.set(spec, chain);
      } else {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string);
        if (!packages.has(name)) packages.set(name, chain);
      }
    }
  };
  visit(entry, [path.relative(SRC, entry)]);
  return packages;
}

describe('start-up imports', () => {
  it('the CLI entry reaches none of the heavy packages through static imports', () => {
    const reached = reachedPackages(path.join(SRC, 'cli', 'bin.ts'));
    const heavy = [...reached].filter(([name]) => HEAVY.includes(name)).map(([name, chain]) => `${name} via ${chain.join(' -> ')}`);
    expect(heavy).toEqual([]);
    // node:crypto (~4 ms to load) is loaded where an id or a digest is made, not by --version.
    expect(reached.get('node:crypto')).toBeUndefined();
    // The walk itself works: commander is what the entry does import.
    expect([...reached.keys()]).toContain('commander');
  });

  it('the walk sees through a command module (so the check above can fail)', () => {
    const reached = reachedPackages(path.join(SRC, 'app', 'commands.ts'));
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['yaml', 'csv-parse']));
  });
});
