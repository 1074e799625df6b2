// target/manifest.json as a command writes it, the way dbt's `@requires.manifest` and its tasks
// write it: every command that loads the project (parse, ls, compile, run, build, test, seed,
// snapshot, clone, run-operation, show, source freshness) writes it after parsing, none with
// `--no-write-json`. When the file written holds the same parse as the one `tsdbt parse`
// indexed (parse-index.ts) and no compiled code, the index is told its new stamp, so a
// `tsdbt ls` between two parses does not cost the second one its "nothing changed" answer; when
// it holds compiled code (compile, run, build...), the parse's file is kept under a second name
// for the next parse to put back (parse-index.ts `keepParsedManifest`).
import path from 'node:path';
import { writeProjectManifest, type ManifestProject } from '../artifacts/manifest-writer.js';
import type { Invocation } from './invocation.js';
import { dropParsedManifest, keepParsedManifest, keepParseIndexAfterRewrite, stampOf } from './parse-index.js';

/** Writes the project's manifest.json for `inv` (nothing with `--no-write-json`); `tsdbt`: tsdbt's own extra key. */
export async function writeCommandManifest(inv: Pick<Invocation, 'invocationId' | 'now' | 'env' | 'options'>, project: ManifestProject, tsdbt?: Record<string, unknown>): Promise<void> {
  if (inv.options.writeJson === false) return;
  const before = stampOf(path.join(project.targetDir, 'manifest.json'));
  const kept = keepParsedManifest(project.targetDir, before);
  const { layout } = await writeProjectManifest(inv, project, tsdbt);
  if (tsdbt || layout.compiled?.length) return;
  keepParseIndexAfterRewrite(project.targetDir, before, layout.basis, layout.stamp);
  if (kept) dropParsedManifest(project.targetDir); // the index takes the new file, or is stale
}
