// Public entry of the template engine: Jinja2 semantics on nunjucks' parser, compiled to
// JavaScript, plus dbt's macro machinery (macro libraries bound to a node's context, return()).
export { JinjaEnvironment, type CompiledTemplate, type TemplateSource } from './environment.js';
export { MacroLibrary, bindMacro } from './macro-library.js';
export { callMacro, isKeywordArgs, MACRO, type MacroFunction } from './macro-runtime.js';
export type { MacroInfo } from './scan.js';
export { MacroReturn, Namespace, PyFloat, RenderSuspended, Undef, takingTemplateValues, tuple } from './values.js';
export { PyStrEnum, defineStrEnum, strOf, type StrEnumType } from './str-enum.js';
export { templateStack, describeTemplateError } from './errors.js';
export { pyStr, pyRepr, strRepr } from './py-repr.js';
export { pyJson } from './filters-text.js';
export { isUndefinedError, truthy } from './py-ops.js';
export { watchChanges, type ChangeWatcher } from './change-watch.js';
export { PerObjectCache } from './per-object-cache.js';
export { blockEndFrom, keepTopLevelBlocks } from './toplevel-blocks.js';
export type { SharedCodeCache } from './code-cache.js';
