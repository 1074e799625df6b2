// `tsdbt parse`: when the index of the last parse says nothing changed (parse-index.ts), it
// repeats what that parse printed and stops, without loading the Jinja engine or reading a file;
// otherwise the whole parse runs (commands.ts).
import path from 'node:path';
import { EXIT_OK } from '../errors/exit-codes.js';
import type { Invocation } from './invocation.js';
import { currentParseIndex, defaultIndexDir, parseOptionsKey } from './parse-index.js';
import { projectWarnErrorPolicy } from './warn-error.js';

export async function parseCommand(inv: Invocation): Promise<number> {
  const started = performance.now();
  const key = parseOptionsKey(inv.projectDir, inv.options);
  const targetDir = defaultIndexDir(inv.projectDir, inv.env);
  const index = inv.options.noPartialParse ? null : currentParseIndex(targetDir, key, inv.env);
  if (!index) return (await import('./commands.js')).fullParse(inv, key, started);
  const { infoLines, warnings, warnErrorFlags } = index.replay;
  if (!inv.warnErrorFromFlags) {
    const fromProject = projectWarnErrorPolicy(warnErrorFlags);
    if (fromProject) inv.logger.warnError = fromProject;
  }
  for (const w of warnings) inv.logger.warnOrError(w.text, w.event);
  for (const line of infoLines) inv.logger.info(line);
  const manifest = path.relative(inv.projectDir, path.join(targetDir, 'manifest.json'));
  inv.logger.info(`Parsed the project in ${((performance.now() - started) / 1000).toFixed(2)}s: nothing changed since the last parse, ${manifest} is current`);
  return EXIT_OK;
}
