// What a node's pre-/post-hooks add at parse time, as dbt's `update_parsed_node_config` does: each
// hook is rendered with the node's parse context, so a `ref()` or `source()` in a hook (from
// `config()`, a property file or dbt_project.yml's `+post-hook`) becomes one of the node's
// dependencies and the node it reads is built first. A seed's hook may not do that (dbt's
// `SeedNode._disallow_implicit_dependencies`), and one `config()` call may not set a hook under
// both spellings (dbt's ConflictingConfigKeysError).
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import type { ManifestNode } from '../manifest/types.js';

/** The refs and sources the node's hooks call, appended to the node's own (dbt: tests have no hooks). */
export function addHookDependencies(session: ParsePhase, node: ManifestNode): void {
  if (node.resource_type === 'test') return;
  const hooks = [...(node.config.pre_hook ?? []), ...(node.config.post_hook ?? [])];
  for (const hook of hooks) {
    if (!hook.sql.includes('{')) continue;
    const calls = session.parseCalls(node, hook.sql, node.original_file_path);
    if (node.resource_type === 'seed' && (calls.refs.length > 0 || calls.sources.length > 0)) throw seedHookRef(node);
    node.refs = [...(node.refs ?? []), ...calls.refs];
    node.sources = [...(node.sources ?? []), ...calls.sources];
  }
}

function seedHookRef(node: ManifestNode): TsdbtError {
  const hooks = [
    ...(node.config.pre_hook ?? []).map((h) => `- pre_hook: "${h.sql}"`),
    ...(node.config.post_hook ?? []).map((h) => `- post_hook: "${h.sql}"`),
  ].join('\n');
  return new TsdbtError(
    `Seeds cannot depend on other nodes. dbt detected a seed with a pre- or post-hook that calls 'ref', 'source', or 'metric', either directly or indirectly via other macros.\nError raised for '${node.unique_id}', which has these hooks defined:\n${hooks}`,
    {
      code: 'seed-hook-ref',
      location: { file: node.original_file_path },
      hint: "a seed is loaded before everything else: move the statement that reads another node into that node's hook, or into an on-run-end hook",
    },
  );
}

/** dbt's ParseConfigObject._transform_config: one `config()` call sets `pre_hook` or `pre-hook`, not both. */
export function checkHookKeyConflicts(configCalls: Record<string, unknown>[], file: string, content: string, firstLine = 1): void {
  for (const call of configCalls) {
    for (const oldKey of ['pre_hook', 'post_hook']) {
      const newKey = oldKey.replace('_', '-');
      if (oldKey in call && newKey in call) {
        throw new TsdbtError(`Invalid config, has conflicting keys "${oldKey}" and "${newKey}"`, {
          code: 'hook-config-conflict',
          location: { file, line: lineOf(content, oldKey, firstLine) },
          hint: `set the hook once, as "${newKey}" (a list holds several statements)`,
        });
      }
    }
  }
}

/** The line of the first mention of `word` in a node's text (the `config()` call that sets it), else its first line. */
function lineOf(content: string, word: string, firstLine: number): number {
  const at = content.indexOf(word);
  return at < 0 ? firstLine : firstLine + (content.slice(0, at).match(/\n/g)?.length ?? 0);
}
