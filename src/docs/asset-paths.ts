// dbt's `asset-paths`: folders of the project (images a description shows, `![](assets/flow.png)`)
// that `docs generate` copies into the target folder, each replacing its earlier copy, so the site
// finds them beside index.html. `docs serve` serves the files found there, by exact name.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** An asset path that stays inside the project and the target folder (not absolute, no `..`). */
function contained(assetPath: string): string | null {
  const normal = path.posix.normalize(assetPath.split(path.sep).join('/')).replace(/\/+$/, '');
  if (normal === '' || normal === '.' || path.posix.isAbsolute(normal) || normal.split('/').includes('..')) return null;
  return normal;
}

/**
 * Copies each asset folder that exists into `targetDir` (dbt: rmtree then copytree); returns the
 * asset paths it refused because they leave the project, for a warning.
 */
export function copyAssetPaths(projectDir: string, targetDir: string, assetPaths: readonly string[]): string[] {
  const refused: string[] = [];
  for (const assetPath of assetPaths) {
    const normal = contained(assetPath);
    if (normal === null) {
      refused.push(assetPath);
      continue;
    }
    const to = path.join(targetDir, normal);
    rmSync(to, { recursive: true, force: true });
    const from = path.join(projectDir, normal);
    if (existsSync(from) && statSync(from).isDirectory()) cpSync(from, to, { recursive: true });
  }
  return refused;
}

/** The files under the asset folders in `targetDir`, as URL paths relative to it (`assets/flow.png`). */
export function listAssetFiles(targetDir: string, assetPaths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(targetDir, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  for (const assetPath of assetPaths) {
    const normal = contained(assetPath);
    if (normal !== null && existsSync(path.join(targetDir, normal))) walk(normal);
  }
  return files;
}
