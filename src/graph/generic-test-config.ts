// What dbt's TestBuilder makes of a generic test's config (generic_test_builders.py,
// schema_generic_tests.py): the `{{ config(...) }}` call appended to the test's raw_code, and the
// test's tags. tsdbt writes both as dbt does, so a manifest dbt wrote and one tsdbt writes agree:
// `state:modified` compares a test's raw_code, and tools read its tags.
import { pyStr } from '../jinja/engine/index.js';

/**
 * dbt's TestBuilder.construct_config: `{{ config(severity="warn",tags=['a']) }}`, the config
 * written beside the test (its rendered values, in the order the builder collected them), or ''
 * when there is none. Strings are double-quoted with `"` escaped; anything else is Python's str().
 */
export function constructConfig(config: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    parts.push(`${key}=${typeof value === 'string' ? `"${value.replace(/"/g, '\\"')}"` : pyStr(value)}`);
  }
  return parts.length === 0 ? '' : `{{ config(${parts.join(',')}) }}`;
}

/** A test's `tags:` config as a list, as TestBuilder.tags() reads it (one string is a list of one). */
export function builderTags(config: Record<string, unknown>): string[] {
  const tags = config.tags;
  if (tags === undefined || tags === null) return [];
  return (Array.isArray(tags) ? tags : [tags]).map(String);
}

/**
 * A generic test's node tags as dbt sets them: the tags of what it is attached to (column, or
 * source, table and column) and its own, sorted without repeats (parse_generic_test), then every
 * tag of its final config not among them, in order (update_parsed_node_config). The attached
 * tags are the node's only: they are not in its config (dbt-core's list tests: "generic test
 * builders don't propagate tags").
 */
export function genericTestTags(attached: readonly string[], own: readonly string[], configTags: readonly string[]): string[] {
  const tags = [...new Set([...attached, ...own])].sort();
  const more = configTags.filter((tag) => !tags.includes(tag));
  // concat: a list of its size, where a push would leave room for 17 (20,000 tests' tags, parse long).
  return more.length > 0 ? tags.concat([...new Set(more)]) : tags;
}
