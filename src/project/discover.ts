// Finds a project's files under its configured paths (models, seeds, macros, snapshots, tests,
// analyses, docs, property files) without rendering anything. Sorted, so parsing is deterministic.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import type { ProjectFile, ProjectFileKind, RawProject } from './types.js';

function walk(root: string, rel: string, out: string[], skip: Set<string>): void {
  let entries;
  try {
    entries = readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!skip.has(childRel)) walk(root, childRel, out, skip);
    } else if (entry.isFile() || entry.isSymbolicLink()) out.push(childRel);
  }
}

export function discoverProject(config: ProjectConfig): RawProject {
  const root = config.projectDir;
  const skip = new Set([config.targetPath, config.packagesInstallPath, 'node_modules', config.logPath].map((p) => p.replace(/\/$/, '')));
  const files: ProjectFile[] = [];
  const seen = new Set<string>();
  const unsupported: string[] = [];
  const add = (kind: ProjectFileKind, rel: string, resourceDir: string, read = true) => {
    const key = `${kind}:${rel}`;
    if (seen.has(key)) return;
    seen.add(key);
    const absPath = path.join(root, rel);
    files.push({ kind, path: rel, absPath, resourceDir, content: read ? readFileSync(absPath, 'utf8') : undefined });
  };
  const scan = (dirs: string[], visit: (rel: string, dir: string) => void) => {
    for (const dir of dirs) {
      const found: string[] = [];
      walk(root, dir.replace(/\/$/, ''), found, skip);
      for (const rel of found.sort()) visit(rel, dir.replace(/\/$/, ''));
    }
  };
  const isYaml = (rel: string) => rel.endsWith('.yml') || rel.endsWith('.yaml');

  scan(config.modelPaths, (rel, dir) => {
    if (rel.endsWith('.sql')) add('model', rel, dir);
    else if (rel.endsWith('.py')) unsupported.push(rel);
    else if (isYaml(rel)) add('yaml', rel, dir);
  });
  scan(config.seedPaths, (rel, dir) => {
    if (rel.endsWith('.csv')) add('seed', rel, dir, false);
    else if (isYaml(rel)) add('yaml', rel, dir);
  });
  scan(config.macroPaths, (rel, dir) => {
    if (rel.endsWith('.sql')) add('macro', rel, dir);
    else if (isYaml(rel)) add('yaml', rel, dir);
  });
  scan(config.snapshotPaths, (rel, dir) => {
    if (rel.endsWith('.sql')) add('snapshot', rel, dir);
    else if (isYaml(rel)) add('yaml', rel, dir);
  });
  scan(config.testPaths, (rel, dir) => {
    const generic = rel.startsWith(`${dir}/generic/`);
    if (rel.endsWith('.sql')) add(generic ? 'macro' : 'test', rel, dir);
    else if (isYaml(rel)) add('yaml', rel, dir);
  });
  scan(config.analysisPaths, (rel, dir) => {
    if (rel.endsWith('.sql')) add('analysis', rel, dir);
    else if (isYaml(rel)) add('yaml', rel, dir);
  });
  scan(config.docsPaths, (rel, dir) => {
    if (rel.endsWith('.md')) add('docs', rel, dir);
  });
  return { files, unsupported };
}
