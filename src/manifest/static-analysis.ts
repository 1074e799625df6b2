// dbt 1.11's `static_analysis` config (on models, seeds, snapshots, tests, sources, unit tests): the
// setting dbt's Fusion engine reads ("on", "off", "unsafe"); dbt-core carries it into the manifest.

/** dbt 1.11 reads YAML's unquoted `on` / `off` (booleans to PyYAML) back as the strings "on" / "off"; unset is null. */
export function staticAnalysisValue(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 'on' : 'off') : (value ?? null);
}
