// `tsdbt parse`: when the index of the last parse says nothing changed (parse-index.ts), it
// repeats what that parse printed and stops, without loading the Jinja engine or reading a file;
// when only SQL files changed, and only outside their Jinja tags, it patches their text into the
// artifacts (parse-text-edit.ts) and does the same; when they changed inside their tags, it parses
// each again on its own and patches its node in where nothing else can have changed
// (parse-jinja-edit.ts); otherwise the whole parse runs (commands.ts).
import path from 'node:path';
import { codeCacheCheckpoint } from './code-cache-checkpoint.js';
import { EXIT_OK } from '../errors/exit-codes.js';
import { logPathFlag, type Invocation } from './invocation.js';
import { logSettings } from './log-settings.js';
import { DEFAULT_LOG_FILE_MAX_BYTES } from './log-file.js';
import { headerTargetDir } from './header-target-dir.js';
import { currentParseIndex, fileSystemNow, type Miss, parseOptionsKey } from './parse-index.js';
import { projectWarnErrorPolicy } from './warn-error.js';
import { INVOCATION_DEPRECATIONS, warnInvocationDeprecations } from './invocation-deprecations.js';

export async function parseCommand(inv: Invocation): Promise<number> {
  const started = performance.now();
  const key = parseOptionsKey(inv.projectDir, inv.options);
  const targetDir = await headerTargetDir(inv);
  // --no-write-json writes no manifest.json, so there is none to patch: the ordinary parse.
  // Why the last parse is not reused or patched, as dbt's UnableToPartialParse (`reason`); with
  // --no-partial-parse, the full parse says dbt's PartialParsingNotEnabled (project-loader.ts).
  const miss: Miss = (reason) => {
    inv.logger.debug(`Unable to do partial parsing because ${reason}`, 'UnableToPartialParse', { reason });
    return null;
  };
  const current = inv.options.noPartialParse
    ? null
    : inv.options.writeJson === false
      ? miss('--no-write-json was given')
      : inv.options.noPartialParseFileDiff
        ? null // no file compared: the load takes partial_parse.bin as it is (readParseCache's fileDiff)
        : currentParseIndex(targetDir, key, inv.env, miss);
  const fullParse = async () => {
    codeCacheCheckpoint(); // the bundle's code cache holds the start-up, not the whole parse (code-cache-checkpoint.ts)
    const clock = fileSystemNow(targetDir); // before the parse reads anything (parse-index.ts)
    return (await import('./commands.js')).fullParse(inv, key, started, clock);
  };
  if (!current) return fullParse();
  if (current.index.replay.onlyWithPartialParseFlag && inv.options.noPartialParse !== false) return miss("dbt_project.yml's flags turn partial parsing off and --partial-parse was not given") ?? fullParse();
  if (current.index.replay.debug !== undefined && current.index.replay.debug !== (inv.options.debug === true)) return miss('--debug changes what the last parse warned') ?? fullParse();
  const { infoLines, warnings, warnErrorFlags, dbtSchemaChecks, logs } = current.index.replay;
  // dbt.log, as the full parse writes it: the project's log-path unless --log-path says otherwise.
  const logDir = logPathFlag(inv) ?? logs?.logPath;
  if (!logs || logDir === undefined || logDir === null) return miss('the last parse was given --log-path') ?? fullParse();
  const logSetting = logSettings(inv.options, logs.flags);
  inv.logger.useSettings(logSetting);
  inv.logger.attachLogFile({ dir: path.resolve(inv.projectDir, logDir), format: logSetting.file, maxBytes: inv.options.logFileMaxBytes ?? DEFAULT_LOG_FILE_MAX_BYTES });
  inv.logger.dbtSchemaChecks = dbtSchemaChecks === true;
  if (!inv.warnErrorFromFlags) {
    const fromProject = projectWarnErrorPolicy(warnErrorFlags);
    if (fromProject) inv.logger.warnError = fromProject;
  }
  inv.logger.requireWarnOrErrorHandling = warnErrorFlags.require_all_warnings_handled_by_warn_error === true;
  let patched = 0;
  let touched = 0;
  if (current.changed.length > 0) {
    // A warning that is now an error fails the parse: the whole parse reports it, writing nothing.
    const promoted = warnings.find((w) => inv.logger.promotes(w.event));
    if (promoted) return miss(`the last parse warned ${promoted.event}, which is now an error`) ?? fullParse();
    // SQL files edited only outside their Jinja tags: their nodes' text is patched in (parse-text-edit.ts).
    if (!current.sqlFiles) return miss('partial_parse.sqlfiles.json is missing') ?? fullParse();
    // Loaded here, not at the start: a parse with nothing changed needs none of it (nor node:v8).
    const { patchTextEdits } = await import('./parse-text-edit.js');
    const textEdits = patchTextEdits(targetDir, current.index, current.sqlFiles, current.changed, current.stamps, { invocationId: inv.invocationId, generatedAt: inv.now(), env: inv.env, startedAt: inv.startedAt }, miss);
    // Edited inside their Jinja tags: each file parsed again on its own (loads the Jinja engine).
    const outcome = textEdits ?? (await import('./parse-jinja-edit.js')).patchJinjaEdits(inv, targetDir, current.index, current.sqlFiles, current.changed, current.stamps, miss);
    if (outcome === null) return fullParse();
    ({ patched, touched } = outcome);
    const one = patched === 1;
    if (touched > 0) inv.logger.debug(`Reusing the previous parse: ${touched} ${touched === 1 ? 'file was' : 'files were'} touched with ${touched === 1 ? 'its' : 'their'} contents unchanged`, 'PartialParsingSkipParsing');
    if (patched > 0 && textEdits) inv.logger.debug(`Partial parse: ${patched} changed ${one ? 'file differs' : 'files differ'} only outside ${one ? 'its' : 'their'} Jinja tags: text patched into manifest.json and partial_parse.bin`, 'PartialParsingEnabled', { deleted: 0, added: 0, changed: patched });
    else if (patched > 0) inv.logger.debug(`Partial parse: ${patched} changed ${one ? 'file' : 'files'} parsed again on ${one ? 'its' : 'their'} own, ${one ? 'its node' : 'their nodes'} patched into manifest.json and partial_parse.bin`, 'PartialParsingEnabled', { deleted: 0, added: 0, changed: patched });
  }
  warnInvocationDeprecations(inv);
  for (const w of warnings) if (!INVOCATION_DEPRECATIONS.has(w.event)) inv.logger.warnOrError(w.text, w.event, undefined, undefined, w.location);
  for (const line of infoLines) inv.logger.info(line);
  const manifest = path.relative(inv.projectDir, path.join(targetDir, 'manifest.json'));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const summary =
    patched > 0
      ? `; wrote ${manifest}`
      : touched > 0
        ? `: ${manifest} is current (files touched, their contents unchanged)`
        : `: nothing changed since the last parse, ${manifest} is current`;
  inv.logger.info(`Parsed the project in ${seconds}s${summary}`, 'ParseCompleted');
  codeCacheCheckpoint();
  return EXIT_OK;
}
