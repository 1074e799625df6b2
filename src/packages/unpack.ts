// Unpacks a package tarball (.tar.gz) as dbt does: the archive holds one top-level folder (the
// package), which is what gets installed. tar (isaacs) refuses entries that would land outside the
// folder (absolute paths, `..`), and a damaged archive is an error, never half a package.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { extract } from 'tar';
import { TsdbtError } from '../errors/tsdbt-error.js';

/**
 * Unpacks `file` into a new scratch folder under `scratchParent`; returns the package folder
 * (the archive's one top-level folder) and the scratch folder to remove afterwards.
 */
export async function unpackPackage(file: string, scratchParent: string, label: string): Promise<{ dir: string; scratch: string }> {
  const scratch = mkdtempSync(path.join(scratchParent, '.tsdbt-unpack-'));
  try {
    await extract({ file, cwd: scratch, strict: true });
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw new TsdbtError(`the tarball of ${label} could not be unpacked: ${(err as Error).message}`, {
      code: 'package-tarball-invalid',
      hint: 'the file is not a .tar.gz package; run `tsdbt deps` again, or check the tarball URL',
    });
  }
  const entries = readdirSync(scratch);
  const only = entries.length === 1 ? path.join(scratch, entries[0]!) : null;
  if (!only || !statSync(only).isDirectory()) {
    rmSync(scratch, { recursive: true, force: true });
    throw new TsdbtError(`the tarball of ${label} has ${entries.length === 1 ? 'a file' : `${entries.length} entries`} at its top, not one folder holding the package`, {
      code: 'package-tarball-layout',
      hint: 'a package tarball holds one folder (<package>/dbt_project.yml ...), as `tar czf pkg.tar.gz pkg/` makes',
    });
  }
  return { dir: only, scratch };
}
