// A property file's `macros:` entries (dbt's MacroPatchParser): each gives the macro of its package
// a description, meta (the entry's, under `config.meta` too), docs and `arguments` with a type and
// a description, and sets its patch_path. manifest.json then lists the entry's arguments (dbt's
// manifest has no signature arguments unless the entry gives them), and the docs site shows the
// description. An entry naming no macro is MacroNotFoundForPatch (patch-targets.ts); a macro
// described twice is dbt's DuplicateMacroPatchNameError.
import { isPlainObject } from '../config/yaml-file.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { MacroPatch, Manifest } from '../manifest/types.js';
import type { SchemaFile } from '../project/types.js';

export function applyMacroPatches(manifest: Manifest, propertyFiles: { packageName: string; schemaFile: SchemaFile }[], fail: (err: TsdbtError) => void): void {
  // The macros may come from an earlier parse's cache: what an entry no longer says goes too.
  for (const macro of Object.values(manifest.macros)) {
    if (!macro.patch) continue;
    delete macro.patch;
    macro.description = '';
  }
  const patchedBy = new Map<string, string>();
  for (const { packageName, schemaFile } of propertyFiles) {
    const located = (schemaFile.namedPatches ?? []).filter((p) => p.section === 'macros');
    const entries = (schemaFile.macros ?? []).filter((e): e is Record<string, unknown> => isPlainObject(e) && typeof e.name === 'string');
    entries.forEach((entry, i) => {
      const name = entry.name as string;
      const location = located[i]?.location ?? { file: schemaFile.path };
      const macro = manifest.macros[`macro.${packageName}.${name}`];
      if (!macro) return;
      const earlier = patchedBy.get(macro.unique_id);
      if (earlier !== undefined) {
        fail(
          new TsdbtError(`dbt found two schema.yml entries for the same macro in package ${packageName} named ${name}. Macros may only be described a single time.`, {
            code: 'duplicate-patch',
            location,
            hint: `remove the macros entry for ${name} in one of these files: ${earlier}, ${schemaFile.path}`,
          }),
        );
        return;
      }
      patchedBy.set(macro.unique_id, schemaFile.path);
      macro.description = typeof entry.description === 'string' ? entry.description : '';
      macro.patch = macroPatch(entry, `${packageName}://${schemaFile.path}`, location);
    });
  }
}

function macroPatch(entry: Record<string, unknown>, patchPath: string, location: SourceLocation): MacroPatch {
  const config = isPlainObject(entry.config) ? entry.config : {};
  const docs = isPlainObject(config.docs) ? config.docs : isPlainObject(entry.docs) ? entry.docs : {};
  return {
    patch_path: patchPath,
    location,
    meta: { ...(isPlainObject(entry.meta) ? entry.meta : {}), ...(isPlainObject(config.meta) ? config.meta : {}) },
    docs: { show: docs.show !== false, node_color: typeof docs.node_color === 'string' ? docs.node_color : null },
    arguments: (Array.isArray(entry.arguments) ? entry.arguments : []).filter(isPlainObject).map((a) => ({
      name: String(a.name ?? ''),
      type: typeof a.type === 'string' ? a.type : null,
      description: typeof a.description === 'string' ? a.description : '',
    })),
  };
}
