// Python's `ast.literal_eval`, as dbt's native rendering reads rendered text back as values.
export { literalEval } from './literal-eval.js';
