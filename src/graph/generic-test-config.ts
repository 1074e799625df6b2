// What dbt's TestBuilder makes of a generic test's config (generic_test_builders.py,
// schema_generic_tests.py): the `{{ config(...) }}` call appended to the test's raw_code, and the
// test's tags. tsdbt writes both as dbt does, so a manifest dbt wrote and one tsdbt writes agree:
// `state:modified` compares a test's raw_code, and tools read its tags.
import { isUndefinedError, pyStr } from '../jinja/engine/index.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';

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

/** What the "Invalid generic test configuration" message names: the test and what it is attached to. */
export interface TestConfigOwner {
  /** The test's name without its namespace (`not_null`). */
  test: string;
  /** The model, seed or snapshot's name; a source's `<source>_<table>`, as dbt names it. */
  target: string;
  columnName: string | null;
  packageName: string;
  location: SourceLocation;
}

/**
 * dbt's TestBuilder._render_values: the config values of a generic test's property entry (its
 * top-level strings) render natively while parsing, in the property file's context (var, env_var,
 * target; dbt's docs, `where`: "you do not have access to custom macros for setting this config"),
 * so `enabled: "{{ target.type != 'x' }}"` is a boolean. A value that is None keeps the project's
 * config. A name the context lacks (`ref(...)`, a macro) is dbt's CustomMacroPopulatingConfigValueError,
 * and any failure is "Invalid generic test configuration given in <file>" (parse_generic_test).
 */
export function renderGenericTestConfig(session: ParsePhase, config: Record<string, unknown>, owner: TestConfigOwner): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    let rendered: unknown = value;
    if (typeof value === 'string') {
      try {
        rendered = session.renderPropertyNative(value, owner.location, owner.packageName);
      } catch (err) {
        throw invalidTestConfig(err, key, owner);
      }
    }
    if (rendered !== null && rendered !== undefined) out[key] = rendered;
  }
  return out;
}

function invalidTestConfig(err: unknown, key: string, owner: TestConfigOwner): unknown {
  if (!(err instanceof TsdbtError) || err.category !== 'user') return err;
  const given = `Invalid generic test configuration given in ${owner.location.file}: `;
  if (!isUndefinedError(err)) return new TsdbtError(given + err.message, { code: 'test-argument-render', location: err.location ?? owner.location, hint: err.hint ?? `config '${key}' is a Jinja template: check the expression`, cause: err });
  // dbt's CustomMacroPopulatingConfigValueError, in its words.
  const message = `The ${owner.target}.${owner.columnName ?? 'None'} column's "${owner.test}" test references an undefined macro in its ${key} configuration argument. The macro ${err.message}.`;
  return new TsdbtError(given + message, {
    code: 'test-argument-render',
    location: err.location ?? owner.location,
    hint:
      key === 'where'
        ? 'a generic test config renders with var(), env_var() and target only, without ref() or macros: write a placeholder in `where` and replace it in a get_where_subquery macro of your project (dbt docs: where, Custom logic)'
        : 'a generic test config renders with var(), env_var() and target only: the generic test configuration parser does not support using custom macros to populate configuration values',
    cause: err,
  });
}
