// How dbt reads YAML (PyYAML's SafeLoader), where the `yaml` package's defaults differ: a key
// given twice keeps its last value instead of being an error, and `<<` merge keys apply. For
// project and property files, --vars, run-operation --args and --warn-error-options alike.
// Imports nothing: the CLI's start-up may read it (warn-error.ts loads `yaml` only when needed).
export const PYYAML_SAFE_LOAD = { uniqueKeys: false, merge: true } as const;
