// What the conformance harness reads from a project's dbt_project.yml before tsdbt runs: the
// profile to write a target for, and the target path run_results.json lands in. Read as dbt reads
// YAML (PyYAML's SafeLoader): a key given twice keeps its last value (snowplow-mobile's
// integration_tests gives `snowflake:` twice under one folder), and merge keys apply.
import { parse as parseYaml } from 'yaml';

export interface ProjectFileFields {
  profile: string;
  /** `target-path` when the file sets one as a string. */
  targetPath?: string;
}

/** The fields of dbt_project.yml's text; throws with a one-line reason when they cannot be read. */
export function projectFileFields(text: string): ProjectFileFields {
  const doc: unknown = parseYaml(text, { uniqueKeys: false, merge: true });
  const project = (doc ?? {}) as Record<string, unknown>;
  const profile = project.profile ?? project.name;
  if (typeof profile !== 'string' || profile === '') throw new Error('dbt_project.yml has neither `profile:` nor `name:`');
  const targetPath = project['target-path'];
  return typeof targetPath === 'string' ? { profile, targetPath } : { profile };
}
