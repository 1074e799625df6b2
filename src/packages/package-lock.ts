// package-lock.yml in dbt's format (dbt-core task/deps.py): the resolved packages, each as the
// entry that installs exactly it (hub `version`, git `revision` as the commit sha), with its
// project `name`, keys sorted and list items indented as dbt's PyYAML dumper writes them, then
// `sha1_hash`: the sha1 of packages.yml's entries as dbt computes it (each entry's contract as
// sorted-key JSON, Python's json.dumps spacing, the lines sorted and joined by "\n"), so a lock
// written by dbt is reused by tsdbt and the other way round. Git and tarball URLs are written as
// their templates (`{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') }}`), never rendered.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isPlainObject, parseYamlText } from '../config/yaml-file.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { PackageSpec } from './package-specs.js';

export const LOCK_FILE = 'package-lock.yml';

/** Python's json.dumps(value, sort_keys=True): `", "` and `": "` separators, non-ASCII escaped. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'string') {
    let out = '"';
    for (const ch of value) {
      for (let i = 0; i < ch.length; i++) {
        const code = ch.charCodeAt(i);
        const c = ch[i]!;
        if (c === '"') out += '\\"';
        else if (c === '\\') out += '\\\\';
        else if (c === '\n') out += '\\n';
        else if (c === '\r') out += '\\r';
        else if (c === '\t') out += '\\t';
        else if (c === '\b') out += '\\b';
        else if (c === '\f') out += '\\f';
        else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
        else out += c;
      }
    }
    return `${out}"`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value instanceof Date) return pythonJson(value.toISOString());
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${pythonJson(k)}: ${pythonJson((value as Record<string, unknown>)[k])}`).join(', ')}}`;
  }
  return pythonJson(String(value));
}

const orNull = (v: unknown): unknown => (v === undefined ? null : v);

/** dbt's `PackageSpec.to_dict()` of an entry: its contract's fields (None included, `name` only when set) plus `unrendered`. */
export function contractDict(spec: PackageSpec): Record<string, unknown> {
  const r = spec.rendered;
  const named = (d: Record<string, unknown>) => (r.name === undefined || r.name === null ? d : { ...d, name: r.name });
  switch (spec.kind) {
    case 'local':
      return named({ local: r.local, unrendered: spec.raw });
    case 'tarball':
      return { tarball: r.tarball, name: orNull(r.name), unrendered: spec.raw };
    case 'git':
      return named({ git: r.git, revision: orNull(r.revision), 'warn-unpinned': orNull(r['warn-unpinned']), subdirectory: orNull(r.subdirectory), unrendered: spec.raw });
    case 'hub':
      return named({ package: r.package, version: r.version, install_prerelease: r.install_prerelease ?? false, unrendered: spec.raw });
  }
}

/** dbt's `_create_sha1_hash` over the project's package entries. */
export function packagesHash(specs: PackageSpec[]): string {
  const lines = specs.map((s) => pythonJson(contractDict(s))).sort();
  return createHash('sha1').update(lines.join('\n'), 'utf8').digest('hex');
}

/** One resolved package as package-lock.yml records it. */
export type LockEntry = Record<string, string>;

export interface LockFile {
  packages: Record<string, unknown>[];
  sha1Hash: string | null;
}

export function readLockFile(file: string, display = LOCK_FILE): LockFile | null {
  if (!existsSync(file)) return null;
  const yaml = parseYamlText(readFileSync(file, 'utf8'), display);
  const root = isPlainObject(yaml.value) ? yaml.value : {};
  const packages = root.packages ?? [];
  if (!Array.isArray(packages)) {
    throw new TsdbtError('`packages` in package-lock.yml must be a list', { code: 'package-lock-invalid', location: yaml.locate(['packages']), hint: 'delete package-lock.yml and run `tsdbt deps` to write it again' });
  }
  return { packages: packages as Record<string, unknown>[], sha1Hash: typeof root.sha1_hash === 'string' ? root.sha1_hash : null };
}

// PyYAML's implicit resolvers (YAML 1.1): text that would read back as something else is quoted.
const YAML11_NON_STRING = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^\d{4}-\d\d?-\d\d?/,
];

/** A scalar as PyYAML's dumper writes it: plain when that reads back as the same text, else single-quoted. */
export function yamlScalar(text: string): string {
  const plain =
    text !== '' &&
    !YAML11_NON_STRING.some((re) => re.test(text)) &&
    !/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(text) &&
    !/\s$/.test(text) &&
    !/: |:$| #|[\n\r\t]/.test(text) &&
    /^[\x20-\x7e]*$/.test(text);
  if (plain) return text;
  if (/^[\x20-\x7e]*$/.test(text)) return `'${text.split("'").join("''")}'`;
  return JSON.stringify(text);
}

/** package-lock.yml's text: entries with sorted keys, indented list items, then sha1_hash. */
export function lockText(entries: LockEntry[], sha1Hash: string): string {
  const lines = ['packages:'];
  for (const entry of entries) {
    Object.keys(entry)
      .sort()
      .forEach((key, i) => lines.push(`${i === 0 ? '  - ' : '    '}${key}: ${yamlScalar(entry[key]!)}`));
  }
  if (entries.length === 0) lines[0] = 'packages: []';
  lines.push(`sha1_hash: ${sha1Hash}`);
  return `${lines.join('\n')}\n`;
}

/** Writes package-lock.yml through a temporary file and a rename, so it is never half written. */
export function writeLockFile(file: string, entries: LockEntry[], sha1Hash: string): void {
  const tmp = `${file}.tmp`;
  try {
    writeFileSync(tmp, lockText(entries, sha1Hash));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
