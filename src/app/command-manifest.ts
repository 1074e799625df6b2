// target/manifest.json as a command writes it, the way dbt's `@requires.manifest` and its tasks
// write it: every command that loads the project (parse, ls, compile, run, build, test, seed,
// snapshot, clone, run-operation, show, source freshness) writes it after parsing, none with
// `--no-write-json`. When the file written holds the same parse as the one `tsdbt parse`
// indexed (parse-index.ts) and no compiled code, the index is told its new stamp, so a
// `tsdbt ls` between two parses does not cost the second one its "nothing changed" answer; when
// it holds compiled code (compile, run, build...), the parse's file is kept under a second name
// for the next parse to put back (parse-index.ts `keepParsedManifest`).
import path from 'node:path';
import { readManifestLayout } from '../artifacts/manifest-layout.js';
import { writeProjectManifest, type ManifestProject } from '../artifacts/manifest-writer.js';
import type { Invocation } from './invocation.js';
import { dropParsedManifest, keepParsedManifest, keepParseIndexAfterRewrite, stampOf } from './parse-index.js';

/** Writes the project's manifest.json for `inv` (nothing with `--no-write-json`). */
export async function writeCommandManifest(inv: Pick<Invocation, 'invocationId' | 'now' | 'env' | 'options'>, project: ManifestProject): Promise<void> {
  if (inv.options.writeJson === false) return;
  const before = stampOf(path.join(project.targetDir, 'manifest.json'));
  const kept = keepParsedManifest(project.targetDir, before);
  const { layout } = await writeProjectManifest(inv, project);
  if (layout.compiled?.length) return;
  keepParseIndexAfterRewrite(project.targetDir, before, layout.basis, layout.stamp);
  if (kept) dropParsedManifest(project.targetDir); // the index takes the new file, or is stale
}

/**
 * The manifest.json a command that runs nodes (run, build, seed, snapshot, test) writes before it
 * runs them, as dbt does after parsing (dbt writes it again at the end, with the compiled code):
 * not written when target/manifest.json already holds this very parse, as tsdbt laid it out (the
 * previous command's, or `tsdbt parse`'s, unchanged since). A run killed before its end so leaves
 * a whole manifest.json of the parse it ran, as in dbt, only with the previous command's metadata
 * (and, after a run, its compiled code); and the end's write copies every node compiled to the
 * same text as before instead of rewriting them all (the start's write had removed their code).
 */
export async function writeStartManifest(inv: Pick<Invocation, 'invocationId' | 'now' | 'env' | 'options'>, project: ManifestProject): Promise<void> {
  if (inv.options.writeJson === false || holdsParse(project)) return;
  await writeCommandManifest(inv, project);
}

/** Whether target/manifest.json is the one tsdbt last wrote there, of the parse `project` holds (not an older tsdbt's with its column lineage, `parts.tsdbt`). */
export function holdsParse(project: Pick<ManifestProject, 'targetDir' | 'basis'>): boolean {
  const generation = project.basis?.generation;
  const layout = generation ? readManifestLayout(project.targetDir) : null;
  if (!layout || layout.basis !== generation || layout.parts.tsdbt) return false;
  const [size, mtime] = stampOf(path.join(project.targetDir, 'manifest.json'));
  return size === layout.stamp[0] && mtime === layout.stamp[1];
}
