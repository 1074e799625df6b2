// dbt parses a project's on-run-start / on-run-end hooks as nodes (parser/hooks.py HookParser, run
// after the project's file parsers): one `operation` node per hook, `operation.<project>.<project>-
// on-run-start-<index>`, in manifest.json's `nodes`, its maps and the `graph` templates see. Each
// is rendered at parse like any SQL node, so a log() or print() in a hook prints while parsing
// (execute false) as well as when it runs, and its ref() / source() calls are its depends_on; a
// hook that fails to render fails the parse, as dbt's HookParser.parse_node lets the error through.
// The run runs these nodes (app/project-hooks.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParsePhase } from '../compile/parse-phase.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ProjectConfig } from '../config/types.js';
import { resolveHierarchyConfig } from '../config/index.js';
import { pythonStrip } from '../manifest/raw-code.js';
import type { ManifestNode } from '../manifest/types.js';
import { addHookDependencies } from './hook-dependencies.js';
import { defaultConfig, nodeSkeleton, sha256 } from './node-factory.js';
import { configTreeFor, finalizeConfig, unrenderedConfig } from './parse-sql-nodes.js';

const HOOK_TYPES = ['on-run-start', 'on-run-end'] as const;

/**
 * dbt's HookNode checksum: the FileHash of the project's dbt_project.yml, its text stripped
 * (read_files.py load_source_file), the same for each of the project's hooks.
 */
function projectFileChecksum(project: Pick<ProjectConfig, 'projectDir'>): string {
  try {
    return sha256(pythonStrip(readFileSync(path.join(project.projectDir, 'dbt_project.yml'), 'utf8')));
  } catch {
    return sha256('');
  }
}

/** The dbt_project.yml whose hooks these are, as a path from the root project's folder (`rootDir`). */
export function hookProjectFile(rootDir: string, projectDir: string): string {
  const relative = path.relative(rootDir, projectDir);
  return relative === '' ? 'dbt_project.yml' : `${relative.split(path.sep).join('/')}/dbt_project.yml`;
}

/**
 * An error raised in the hook's own text (not in a macro it calls) is located at its dbt_project.yml
 * without a line, whose lines are not the hook's: a line past the hook's first is named in the message.
 */
function inHookText(err: unknown, file: string): unknown {
  if (!(err instanceof TsdbtError) || err.location?.file !== file) return err;
  const line = err.location.line;
  err.location = { file };
  if (line !== undefined && line > 1) err.message = `${err.message} (line ${line} of the hook)`;
  return err;
}

/**
 * The project's (or package's) on-run-start and on-run-end hooks as dbt's HookParser makes them:
 * name `<project>-<hook type>-<index>`, path `hooks/<name>.sql` (dbt's get_pseudo_hook_path), fqn
 * `[project, 'hooks', name]`, original_file_path `./dbt_project.yml` (its FilePath searched `.`),
 * tags the hook type then the config's, `index` the hook's place in its list. Its config is dbt's
 * NodeConfig with the project's `models:` tree at that fqn (dbt's ContextConfig reads `models:` for
 * every resource type it has no block for). `project` is the config scope the package's nodes
 * parse under; `own` is the package's own dbt_project.yml (its hooks and its file). A hook whose
 * render fails (a syntax error, a raise_compiler_error outside `{% if execute %}`) is recorded as a
 * parse error naming its dbt_project.yml (`rootDir`: the root project's folder, from which a
 * package's is named) and the hook's node, and left out.
 */
export function parseProjectHooks(session: ParsePhase, project: ProjectConfig, own: ProjectConfig, rootDir: string): ManifestNode[] {
  const nodes: ManifestNode[] = [];
  const file = hookProjectFile(rootDir, own.projectDir);
  let checksum: string | undefined;
  for (const which of HOOK_TYPES) {
    const hooks = which === 'on-run-start' ? own.onRunStart : own.onRunEnd;
    hooks.forEach((sql, index) => {
      checksum ??= projectFileChecksum(own);
      const name = `${own.name}-${which}-${index}`;
      const node = nodeSkeleton({
        resourceType: 'operation',
        packageName: own.name,
        name,
        originalFilePath: './dbt_project.yml',
        pathInResourceDir: `hooks/${name}.sql`,
        rawCode: sql,
        config: defaultConfig('operation'),
        checksum,
      });
      const projectLayer = resolveHierarchyConfig(configTreeFor(project, 'model'), node.fqn, 'model');
      node.config = finalizeConfig([defaultConfig('operation'), projectLayer]);
      node.unrendered_config = unrenderedConfig(project, 'model', node.fqn, []);
      node.index = index;
      if (sql.includes('{')) {
        try {
          const state = session.parseCalls(node, sql, file);
          node.config = finalizeConfig([node.config, ...state.configCalls]);
          node.refs = state.refs;
          node.sources = state.sources;
          if (state.functions?.length) node.functions = state.functions;
          addHookDependencies(session, node);
        } catch (err) {
          session.fail(inHookText(err, file), file, { resourceType: `${which} hook`, name, file });
          return;
        }
      }
      // dbt's HookParser gives the hook type as the node's tag; the config's tags follow.
      node.tags = [which, ...node.config.tags.filter((t) => t !== which)];
      node.meta = node.config.meta;
      nodes.push(node);
    });
  }
  return nodes;
}
