// The Python side of dbt's base context: the builtins dbt gives templates besides Jinja's own
// (zip, set, tojson, fromyaml, local_md5, ...) and the `modules` namespace (datetime, pytz, re,
// itertools).
export { pythonBuiltins, pythonModules } from './builtins.js';
