// dbt's UnpinnedRefNewVersionAvailable (info, I064; RefableLookup.find): an unpinned `ref('m')`
// resolved while a node runs, to a versioned model whose latest_version is below its highest
// version (a prerelease), says which version it resolved to and how to try or pin the others.
import type { Manifest, ManifestNode, RefCall } from '../manifest/types.js';

type Version = string | number;

/** dbt's UnparsedVersion order: as numbers when both read as floats, else as text. */
function versionLess(a: Version, b: Version): boolean {
  const x = Number(a);
  const y = Number(b);
  if (String(a).trim() !== '' && String(b).trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x < y;
  return String(a) < String(b);
}

/** Tells, per ref resolved, whether dbt fires the event (the message when it does); each model's highest version is found once. */
export class UnpinnedRefCheck {
  private readonly highest = new Map<string, Version | null>();

  constructor(private readonly manifest: Manifest) {}

  message(call: RefCall, from: ManifestNode, target: ManifestNode): string | null {
    if (call.version != null || target.resource_type !== 'model' || target.version == null || target.latest_version == null) return null;
    const max = this.highestVersion(target.name);
    if (max === null || !versionLess(target.latest_version, max)) return null;
    const name = target.name;
    const pkg = target.package_name;
    const v = String(target.version);
    return (
      `While compiling '${from.name}':\n` +
      `Found an unpinned reference to versioned model '${name}' in project '${pkg}'.\n` +
      `Resolving to latest version: ${name}.v${v}\n` +
      `A prerelease version ${String(max)} is available. It has not yet been marked 'latest' by its maintainer.\n` +
      `When that happens, this reference will resolve to ${name}.v${String(max)} instead.\n\n` +
      `  Try out v${String(max)}: {{ ref('${pkg}', '${name}', v='${String(max)}') }}\n` +
      `  Pin to  v${v}: {{ ref('${pkg}', '${name}', v='${v}') }}\n`
    );
  }

  /** The highest version of any versioned model named `name` (dbt compares across packages). */
  private highestVersion(name: string): Version | null {
    if (this.highest.has(name)) return this.highest.get(name) ?? null;
    let max: Version | null = null;
    for (const node of Object.values(this.manifest.nodes)) {
      if (node.resource_type !== 'model' || node.name !== name || node.version == null) continue;
      if (max === null || versionLess(max, node.version)) max = node.version;
    }
    this.highest.set(name, max);
    return max;
  }
}
