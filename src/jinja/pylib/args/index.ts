// Python's calling convention for the functions templates call: nunjucks passes `f(a, k=1)` as
// `f(a, {k: 1, __keywords: true})` (keywords.ts); these bind such calls to Python parameter names,
// loosely as dbt's context members do (`callArgs`) or strictly with Python's errors (`pyArgs`,
// python-args.ts), and coerce arguments as Python does.
export { callArgs, isKeywords, splitArgs, stripKeywords } from './keywords.js';
export { intArg, numArg, pyArgs, pyType, typeError } from './python-args.js';
