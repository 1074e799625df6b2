// User-defined functions (dbt 1.11): a `.sql` (or `.py`) file under `function-paths` is the
// function's body, its `functions:` property entry gives the arguments and return type. Parsed as
// dbt's FunctionParser does: the project's `functions:` config tree < the entry's config < the
// file's config() calls; the body's Jinja renders at parse for ref/source/config calls. The
// `function('name')` calls of every node become DAG edges (dbt's process_functions, in
// function-index.ts).
import path from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import type { ProjectFile } from '../project/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import type { FunctionArgument, ManifestNode } from '../manifest/types.js';
import { parseSqlNode } from './parse-sql-nodes.js';
import type { PatchEntry } from './patch-entry.js';

/** A `functions:` entry as the parser patches it onto its function. */
export type FunctionPatch = PatchEntry & { arguments?: FunctionArgument[]; returns?: { data_type: string; description: string | null } };

/** The name of a function file: its file name without `.sql` / `.py`. */
export function functionName(file: ProjectFile): string {
  return path.posix.basename(file.path).replace(/\.(sql|py)$/, '');
}

/**
 * The node of a function file with its entry's signature, or null when it failed (the error is
 * in the session). dbt requires `returns:`; its arguments with a default must come last.
 */
export function parseFunctionFile(session: ParsePhase, project: ProjectConfig, file: ProjectFile, patch: FunctionPatch | undefined): ManifestNode | null {
  const name = functionName(file);
  const python = file.path.endsWith('.py');
  // dbt reads a file stripped of leading and trailing whitespace; Python's body is kept as read then (not trimmed after rendering).
  const content = python ? (file.content ?? '').trim() : (file.content ?? '');
  const input = { resourceType: 'function' as const, path: file.path, absPath: file.absPath, content, resourceDir: file.resourceDir ?? '', packageName: project.name, name };
  const node = parseSqlNode(session, project, input, patch?.config);
  if (!node) return null;
  node.language = python ? 'python' : 'sql';
  node.arguments = patch?.arguments ?? [];
  if (!patch?.returns) {
    session.fail(
      new TsdbtError(`function '${name}' has no return type: dbt requires a \`functions:\` property entry with \`returns: {data_type: ...}\``, {
        code: 'function-invalid',
        location: patch ? patch.location : { file: file.path, line: 1 },
        hint: `add to a .yml file in ${file.resourceDir ?? 'functions'}/:\nfunctions:\n  - name: ${name}\n    returns:\n      data_type: integer`,
      }),
    );
    return null;
  }
  node.returns = patch.returns;
  const error = defaultArgumentOrder(node, patch);
  if (error) {
    session.fail(error);
    return null;
  }
  return node;
}

/** dbt's check_function_default_arguments_ordering. */
function defaultArgumentOrder(node: ManifestNode, patch: FunctionPatch): TsdbtError | null {
  let defaulted = false;
  for (const argument of node.arguments ?? []) {
    const has = argument.default_value !== null && argument.default_value !== undefined;
    if (has) defaulted = true;
    else if (defaulted) {
      return new TsdbtError(
        `Non-defaulted argument '${argument.name}' of function '${node.name}' comes after a defaulted argument. Non-defaulted arguments cannot come after defaulted arguments. `,
        { code: 'function-invalid', location: patch.location, hint: `give '${argument.name}' a default_value too, or move it before the arguments that have one` },
      );
    }
  }
  return null;
}
