// dbt's `config` in templates: `config(...)` records the file's config calls while parsing;
// `config.get`, `config.require`, `config.meta_get`, `config.meta_require` read the node's
// config (with those calls) when it runs, and answer "" while parsing, as dbt's ParseConfigObject
// does; `config.set` is a config call while parsing, and the persist_docs helpers.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ManifestNode } from '../../manifest/types.js';
import { callArgs, isKeywords, stripKeywords } from '../pylib/args/index.js';
import { isPyTimestamp } from '../pyyaml-timestamps.js';
import type { NodeRenderState } from './render-state.js';

/**
 * A date or datetime given to config() (a microbatch's `begin=modules.datetime.datetime(2020, 1, 1)`)
 * is kept as its ISO text, as manifest.json writes it: the node's config is plain data, which the
 * parse cache stores and reads back.
 */
function plainDates(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = isPyTimestamp(value) ? value.toJSON() : value;
  }
  return out;
}

/** The `config` object of one render of `node`. */
export function configObject(node: ManifestNode, state: NodeRenderState) {
  const parse = state.phase === 'parse';
  // The node's meta, with what config(meta=...) calls of this file add.
  const metaOf = (): Record<string, unknown> => {
    let meta = node.config.meta ?? {};
    for (const call of state.configCalls) if (call.meta && typeof call.meta === 'object') meta = { ...meta, ...(call.meta as Record<string, unknown>) };
    return meta;
  };
  return Object.assign(
    (...args: unknown[]): string => {
      if (parse) {
        const kwargs = args.find(isKeywords) ?? (args[0] && typeof args[0] === 'object' ? args[0] : {});
        state.configCalls.push(plainDates(stripKeywords(kwargs as Record<string, unknown>)));
      }
      return '';
    },
    {
      /** dbt's `config.get(name, default=None, validator=None)`; the default may come by keyword. */
      get: (...args: unknown[]): unknown => {
        // While parsing, dbt's config object (ParseConfigObject) answers "" to every question:
        // what a template decides on config.get then is what dbt decides (dbt-unit-testing's
        // `'unit-test' in config.get('tags')` must be false while parsing, so its ref() records).
        if (parse) return '';
        const { name, default: fallback = null, validator } = callArgs(args, ['name', 'default', 'validator']);
        const key = String(name);
        let value: unknown = node.config[key];
        for (const call of state.configCalls) if (key in call) value = call[key];
        const result = value === undefined ? fallback : value;
        // dbt's RuntimeConfigObject: `validator(value)` when one is given (validation.any(...)).
        if (typeof validator === 'function') (validator as (v: unknown) => unknown)(result);
        return result;
      },
      require: (key: string): unknown => {
        if (parse) return '';
        const value = node.config[key];
        if (value === undefined || value === null) {
          // dbt_common's MissingConfigError wording.
          throw new TsdbtError(`Model '${node.unique_id}' does not define a required config parameter '${key}'.`, {
            code: 'config-required',
            hint: `set it with {{ config(${key}=...) }} or +${key} in dbt_project.yml`,
          });
        }
        return value;
      },
      /**
       * dbt's `config.set(name, value)`: while parsing it is a config call (how
       * `{% call set_sql_header(config) %}` sets `sql_header`); at execution it does nothing.
       */
      set: (name: unknown, value: unknown): string => {
        if (parse) state.configCalls.push({ [String(name)]: value });
        return '';
      },
      /** dbt 1.10: a key of the node's `meta` config (config.get does not read meta). */
      meta_get: (...args: unknown[]): unknown => {
        if (parse) return '';
        const { name, default: fallback = null } = callArgs(args, ['name', 'default']);
        const value = metaOf()[String(name)];
        return value === undefined ? fallback : value;
      },
      meta_require: (key: string): unknown => {
        if (parse) return '';
        const value = metaOf()[String(key)];
        if (value === undefined || value === null) {
          throw new TsdbtError(`meta key '${key}' is required for ${node.name} but is not set`, {
            code: 'config-required',
            hint: `set it with {{ config(meta={'${key}': ...}) }} or +meta: {${key}: ...} in dbt_project.yml`,
          });
        }
        return value;
      },
      persist_relation_docs: () => !parse && Boolean((node.config.persist_docs as { relation?: boolean } | undefined)?.relation),
      persist_column_docs: () => !parse && Boolean((node.config.persist_docs as { columns?: boolean } | undefined)?.columns),
    },
  );
}
