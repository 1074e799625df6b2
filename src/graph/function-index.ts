// Resolves `function('name')` / `function('package', 'name')` to a user-defined function node as
// dbt's resolve_function does: the caller's package first, then the root project, then any package.
// A miss is an error naming the caller's file and line, with the closest function name.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { closestName, escapeRegExp, lineOf } from '../errors/did-you-mean.js';
import type { ManifestNode } from '../manifest/types.js';

/** Finds a function by name as `function()` names it: the caller's package first, then the root project, then any. */
export class FunctionIndex {
  private readonly byName = new Map<string, ManifestNode[]>();

  constructor(
    private readonly rootProject: string,
    nodes: Iterable<ManifestNode>,
  ) {
    for (const node of nodes) {
      if (node.resource_type !== 'function') continue;
      this.byName.set(node.name, [...(this.byName.get(node.name) ?? []), node]);
    }
  }

  /** The function `call` (`[name]` or `[package, name]`) names from `from`, or a TsdbtError saying why not. */
  resolve(call: string[], from: ManifestNode): ManifestNode {
    const [pkg, name] = call.length === 2 ? [call[0] ?? null, call[1] ?? ''] : [null, call[0] ?? ''];
    const candidates = (this.byName.get(name) ?? []).filter((n) => pkg === null || n.package_name === pkg);
    const pick = candidates.find((n) => n.package_name === from.package_name) ?? candidates.find((n) => n.package_name === this.rootProject) ?? candidates[0];
    if (pick) return pick;
    const line = lineOf(from.raw_code, new RegExp(`function\\s*\\(\\s*['"]${escapeRegExp(pkg ?? name)}['"]`));
    const suggestion = closestName(name, this.byName.keys());
    throw new TsdbtError(
      `${from.resource_type} '${from.name}' depends on a function named '${pkg ? `${pkg}.` : ''}${name}' which was not found${suggestion ? `. Did you mean '${suggestion}'?` : ''}`,
      {
        code: 'function-not-found',
        location: { file: from.original_file_path, ...(line === undefined ? {} : { line: line + from.line - 1 }) },
        hint: suggestion ? `change it to function('${suggestion}')` : 'add the function: a .sql file under functions/ with a `functions:` property entry',
      },
    );
  }
}
