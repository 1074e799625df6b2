// The folder of a project's artifacts, known before the project loads (dbt's PartialProject):
// --target-path / DBT_TARGET_PATH, else dbt_project.yml's `target-path` rendered as dbt renders
// the project's header (env_var and --vars, no `target`), else `target`. `tsdbt parse`'s fast path
// and `retry` read it before anything else; a plain value is read from the file's text, so the
// fast path loads neither a YAML nor a Jinja engine; anything else goes through the header reader.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { targetPathFlag, type Invocation } from './invocation.js';

/** The artifacts folder of the invocation's project, resolved against the project folder. */
export async function headerTargetDir(inv: Invocation): Promise<string> {
  if (targetPathFlag(inv) !== undefined) return targetDirFor(inv, null);
  let text: string;
  try {
    text = readFileSync(path.join(inv.projectDir, 'dbt_project.yml'), 'utf8');
  } catch {
    return targetDirFor(inv, null); // the command's own load reports the missing file
  }
  const plain = plainTargetPath(text);
  return targetDirFor(inv, plain !== undefined ? plain : await renderedTargetPath(inv));
}

/** dbt's rule, given the header's target-path: the flag's folder, else the header's, else `target`, against the project folder. */
export function targetDirFor(inv: Pick<Invocation, 'projectDir' | 'options' | 'env'>, headerTargetPath: string | null): string {
  return path.resolve(inv.projectDir, targetPathFlag(inv) ?? headerTargetPath ?? 'target');
}

const KEY_LINE = /^(["']?)target-path\1[ \t]*:(.*)$/m;
const YAML_WORDS = /^(?:~|null|true|false|yes|no|on|off|[-+.\d][\w.+-]*)$/i;
const PLAIN_VALUE = /^(?:"([^"\\{}#]*)"|'([^'{}#]*)'|([^\s"'{}#[\]&*!|>%@`,][^\s{}#,]*))$/;

/**
 * `target-path` read from dbt_project.yml's text when that is certain: null when the key is absent
 * (and no line could hide it), the value when it is a plain scalar; undefined otherwise (Jinja,
 * a flow mapping, a comment on the line, anything YAML could read differently).
 */
export function plainTargetPath(text: string): string | null | undefined {
  const line = KEY_LINE.exec(text);
  if (!line) return /target-path|^\s*[{[]/m.test(text) ? undefined : null;
  if (KEY_LINE.exec(text.slice(line.index + line[0].length))) return undefined; // a duplicate key: YAML's error to report
  const value = PLAIN_VALUE.exec((line[2] ?? '').trim());
  if (!value) return undefined;
  const bare = value[3];
  if (bare !== undefined && YAML_WORDS.test(bare)) return undefined; // ~, null, true, 0x10 ...: not the text they look like
  const found = value[1] ?? value[2] ?? bare;
  return found ? found : undefined;
}

// The YAML reader and the Jinja engine load only for a target-path that is not plain text.
async function renderedTargetPath(inv: Invocation): Promise<string | null> {
  const [{ parseCliVars, readProjectHeader }, { headerRenderer }] = await Promise.all([import('../config/index.js'), import('./header-renderer.js')]);
  try {
    const vars = inv.options.vars ? parseCliVars(inv.options.vars) : {};
    return readProjectHeader(inv.projectDir, headerRenderer(inv, vars)).targetPath;
  } catch {
    return null; // a broken dbt_project.yml: the command's own load reports it where it is
  }
}
