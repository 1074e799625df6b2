// dbt 1.10's `validate_macro_args` flag (dbt_project.yml `flags:`): with it, a macro's manifest
// `arguments` are its signature's names when no property file documents them, and a documented
// argument list is checked against the signature (names in order, their number) and each `type`
// against dbt's vocabulary, each problem dbt's InvalidMacroAnnotation warning in its words
// (dbt/parser/schemas.py: _check_patch_arguments, is_valid_type). Without the flag, `arguments`
// are the property file's, unchecked.
import type { MacroNode, Manifest, Warning } from '../manifest/types.js';

/** dbt's type names, each with the number of type parameters it takes (`list[str]`, `dict[str, int]`). */
const MACRO_TYPES: ReadonlyMap<string, number> = new Map([
  ['str', 0],
  ['string', 0],
  ['bool', 0],
  ['int', 0],
  ['integer', 0],
  ['float', 0],
  ['any', 0],
  ['list', 1],
  ['dict', 2],
  ['optional', 1],
  ['relation', 0],
  ['column', 0],
]);

/** One type at the start of `text` (no spaces): what follows it, or null when none is there. */
function matchType(text: string): string | null {
  const name = /^[a-z]+/.exec(text)?.[0];
  const params = name === undefined ? undefined : MACRO_TYPES.get(name);
  if (name === undefined || params === undefined) return null;
  let rest = text.slice(name.length);
  if (params === 0) return rest;
  if (!rest.startsWith('[')) return null;
  rest = rest.slice(1);
  for (let i = 0; i < params; i++) {
    const after = matchType(rest);
    if (after === null) return null;
    rest = after;
    if (i < params - 1) {
      if (!rest.startsWith(',')) return null;
      rest = rest.slice(1);
    }
  }
  return rest.startsWith(']') ? rest.slice(1) : null;
}

/** dbt's is_valid_type: one type of its vocabulary, spaces and tabs ignored (`dict[str, list[int]]`). */
export function isValidMacroArgType(type: string): boolean {
  return matchType(type.replace(/[ \t]/g, '')) === '';
}

/** The InvalidMacroAnnotation warnings of a documented argument list, in dbt's order and words. */
export function macroArgumentWarnings(macro: MacroNode): Warning[] {
  const documented = macro.patch?.arguments ?? [];
  if (documented.length === 0) return [];
  const location = macro.patch?.location;
  const warning = (message: string): Warning => ({ message, event: 'InvalidMacroAnnotation', ...(location ? { location } : {}) });
  const out: Warning[] = [];
  documented.forEach((arg, i) => {
    const inSignature = macro.arguments[i];
    if (inSignature !== undefined && arg.name !== inSignature.name) out.push(warning(`Argument ${arg.name} in yaml for macro ${macro.name} does not match the jinja definition.`));
  });
  if (documented.length !== macro.arguments.length) out.push(warning(`The number of arguments in the yaml for macro ${macro.name} does not match the jinja definition.`));
  for (const arg of documented) {
    if (arg.type !== null && arg.type.trim() !== '' && !isValidMacroArgType(arg.type)) out.push(warning(`Argument ${arg.name} in the yaml for macro ${macro.name} has an invalid type.`));
  }
  return out;
}

/**
 * Applies the flag to every macro: with it, each documented argument list's warnings go to the
 * manifest's, and a macro without one lists its signature's names in manifest.json; without it,
 * nothing (a cached parse's inferred lists are dropped).
 */
export function applyMacroArgumentValidation(manifest: Manifest, validateMacroArgs: boolean): void {
  for (const macro of Object.values(manifest.macros)) {
    delete macro.inferredArguments;
    if (!validateMacroArgs) continue;
    manifest.warnings.push(...macroArgumentWarnings(macro));
    if ((macro.patch?.arguments ?? []).length === 0) macro.inferredArguments = macro.arguments.map((a) => ({ name: a.name, type: null, description: '' }));
  }
}
