// The signature of a user-defined function's property entry (dbt 1.11 `functions:`): its
// `arguments` (name, data_type, description, default_value) and `returns` (data_type,
// description), checked as dbt's UnparsedFunctionUpdate is, each error at its line.
import { isPlainObject } from '../config/yaml-file.js';
import type { FunctionArgument } from '../manifest/types.js';

type Path = (string | number)[];
type Report = (message: string, path: Path, hint: string) => void;

export interface FunctionSignature {
  arguments: FunctionArgument[];
  returns?: { data_type: string; description: string | null };
}

/** Reads `arguments:` and `returns:` of one `functions:` entry; `report` takes a path under the entry. */
export function functionSignature(entry: Record<string, unknown>, report: Report): FunctionSignature {
  const args: FunctionArgument[] = [];
  const raw = entry.arguments ?? [];
  if (!Array.isArray(raw)) report('`arguments` must be a list', ['arguments'], 'write `arguments:` with `- name: x` and `data_type: integer` items');
  else {
    raw.forEach((item, i) => {
      if (!isPlainObject(item) || typeof item.name !== 'string' || typeof item.data_type !== 'string') {
        report('each function argument needs a `name` and a `data_type`', ['arguments', i], 'write `- name: value` and `data_type: float`');
        return;
      }
      args.push({
        name: item.name,
        data_type: item.data_type,
        description: typeof item.description === 'string' ? item.description : null,
        default_value: item.default_value ?? null,
      });
    });
  }
  const returns = entry.returns;
  if (!isPlainObject(returns) || typeof returns.data_type !== 'string') {
    report(`function '${String(entry.name)}' needs \`returns:\` with a \`data_type\``, isPlainObject(returns) ? ['returns'] : [], 'add `returns:` with `data_type: float` (the type the function returns)');
    return { arguments: args };
  }
  return { arguments: args, returns: { data_type: returns.data_type, description: typeof returns.description === 'string' ? returns.description : null } };
}
