// `tsdbt deps --add-package org/name@1.3.0 [--source hub|git|local]`: adds the entry to the file
// that lists the project's packages (packages.yml, or dependencies.yml when that one does), as
// dbt does: an entry naming the same package (in any source, `dbt_utils` or `dbt-utils`) is
// replaced, and a version with commas becomes a list. Unlike dbt, which dumps the whole file again,
// the file keeps its comments, order and formatting.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML, { isMap, isScalar, isSeq, YAMLSeq } from 'yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { packageSpecFile } from './package-specs.js';

export type PackageSource = 'hub' | 'git' | 'local';

export interface AddedPackage {
  name: string;
  version: string | null;
}

/** `org/name@1.3.0` (or just a name, for local packages) as dbt's --add-package reads it. */
export function parseAddPackage(text: string, source: PackageSource): AddedPackage {
  const at = text.lastIndexOf('@');
  const parsed = at > 0 ? { name: text.slice(0, at), version: text.slice(at + 1) || null } : { name: text, version: null };
  if (!parsed.version && source !== 'local') {
    throw new TsdbtError(`Version is required in --add-package when source is ${source}`, { code: 'deps-add-package-invalid', hint: `write it as --add-package ${parsed.name}@<version>` });
  }
  return parsed;
}

/** dbt's duplicate test: a name variant (`_` or `-`, with or without the org) bounded by `/`, `.` or the ends. */
function sameGitOrHubPackage(identifier: string, name: string): boolean {
  const variants = new Set([name, name.replace(/_/g, '-'), name.replace(/-/g, '_')]);
  if (name.includes('/')) {
    const short = name.split('/').pop()!;
    for (const v of [short, short.replace(/_/g, '-'), short.replace(/-/g, '_')]) variants.add(v);
  }
  for (const v of variants) {
    const idx = identifier.indexOf(v);
    if (idx < 0) continue;
    const end = idx + v.length;
    if ((idx === 0 || '/.'.includes(identifier[idx - 1]!)) && (end === identifier.length || '/.'.includes(identifier[end]!))) return true;
  }
  return false;
}

/** Adds the package; returns the file it wrote (project-relative) and the entries it replaced. */
export function addPackage(projectDir: string, added: AddedPackage, source: PackageSource): { file: string; removed: string[] } {
  const file = packageSpecFile(projectDir) ?? 'packages.yml';
  const abs = path.join(projectDir, file);
  const text = existsSync(abs) ? readFileSync(abs, 'utf8') : '';
  const doc = YAML.parseDocument(text || 'packages: []\n');
  if (doc.errors.length > 0) {
    throw new TsdbtError(`invalid YAML in ${file}: ${doc.errors[0]!.message.split('\n')[0]}`, { code: 'yaml-invalid', location: { file }, hint: `fix ${file} first` });
  }
  if (!isMap(doc.contents)) doc.contents = doc.createNode({ packages: [] }) as never;
  let list = doc.get('packages');
  if (!isSeq(list)) {
    list = new YAMLSeq();
    doc.set('packages', list);
  }
  const seq = list as YAMLSeq;
  seq.flow = false;
  const removed: string[] = [];
  for (let i = seq.items.length - 1; i >= 0; i--) {
    const item = seq.items[i];
    if (!isMap(item)) continue;
    const key = ['package', 'git', 'local', 'tarball', 'private'].map((k) => item.get(k)).find((v) => typeof v === 'string' || isScalar(v));
    const identifier = isScalar(key) ? String(key.value) : typeof key === 'string' ? key : null;
    if (identifier && sameGitOrHubPackage(identifier, added.name)) {
      removed.push(identifier);
      seq.items.splice(i, 1);
    }
  }
  const entry: Record<string, unknown> = { [source === 'hub' ? 'package' : source]: added.name };
  if (added.version) entry[source === 'git' ? 'revision' : 'version'] = added.version.includes(',') ? added.version.split(',').map((v) => v.trim()) : added.version;
  seq.items.push(doc.createNode(entry));
  writeFileSync(abs, doc.toString());
  return { file, removed };
}
