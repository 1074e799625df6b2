// tsdbt skips Python models (models/*.py), but dbt refuses at parse a Python model whose property
// entry enforces a contract (parser/schemas.py's _validate_constraint_prerequisites: "Language
// Error: Expected 'sql' but found 'python'"), before anything runs. The same entry is refused here,
// so a project dbt would not parse does not run on tsdbt with the model left out.
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { SchemaFile } from '../project/types.js';

/** The Python models' files (project-relative paths) whose root property entries enforce a contract: dbt's ParsingError for each. */
export function pythonContractErrors(pythonModels: readonly string[], files: readonly { packageName: string; schemaFile: SchemaFile }[], rootPackage: string): TsdbtError[] {
  if (pythonModels.length === 0) return [];
  const byName = new Map(pythonModels.map((file) => [path.posix.basename(file.replace(/\\/g, '/')).replace(/\.py$/i, ''), file]));
  const errors: TsdbtError[] = [];
  for (const { packageName, schemaFile } of files) {
    if (packageName !== rootPackage) continue;
    for (const entry of schemaFile.models) {
      const file = byName.get(entry.name);
      const contract = entry.config.contract as { enforced?: unknown } | undefined;
      if (file === undefined || contract?.enforced !== true) continue;
      const problems = [
        ...(entry.columns.length === 0 ? ['Constraints must be defined in a `yml` schema configuration file like `schema.yml`.'] : []),
        "Language Error: Expected 'sql' but found 'python'",
      ];
      errors.push(
        new TsdbtError(`Contract enforcement failed for: (${file})\n${problems.join('\n')}`, {
          code: 'schema-invalid', // dbt's ParsingError
          location: { file: entry.location.file, line: entry.location.line },
          hint: 'contracts are enforced on SQL models only: remove `contract: {enforced: true}` from the entry, or write the model in SQL',
        }),
      );
    }
  }
  return errors;
}
