// Renders Jinja inside YAML values (profiles.yml, dbt_project.yml) the way dbt does: env_var and
// var are available, and `| as_number`, `| as_bool`, `| as_native`, `| as_text` turn the rendered
// text into a native value.
import YAML from 'yaml';
import type { SourceLocation } from '../../errors/tsdbt-error.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { JinjaEnvironment } from '../engine/index.js';

let shared: JinjaEnvironment | null = null;

export interface YamlRenderContext {
  env: NodeJS.ProcessEnv;
  vars: Record<string, unknown>;
  location: SourceLocation;
  /** `target` (property files see it; dbt_project.yml and profiles.yml do not). */
  target?: Record<string, unknown>;
}

export function renderYamlValue(template: string, ctx: YamlRenderContext): unknown {
  if (!template.includes('{{') && !template.includes('{%')) return template;
  shared ??= new JinjaEnvironment();
  const context = {
    env_var: (name: string, fallback?: unknown) => {
      const value = ctx.env[name];
      if (value !== undefined) return value;
      if (fallback !== undefined) return fallback;
      throw new TsdbtError(`Env var required but not provided: '${name}'`, {
        code: 'env-var-missing',
        location: ctx.location,
        hint: `export ${name}=... or give a default: env_var('${name}', 'default')`,
      });
    },
    var: (name: string, fallback?: unknown) => (name in ctx.vars ? ctx.vars[name] : (fallback ?? null)),
    ...(ctx.target ? { target: ctx.target } : {}),
  };
  const filterMatch = /\|\s*(as_number|as_bool|as_native|as_text)\s*\}\}\s*$/.exec(template);
  const stripped = filterMatch ? template.replace(/\|\s*(as_number|as_bool|as_native|as_text)\s*(?=\}\}\s*$)/, '') : template;
  const text = shared.renderString(stripped, context, ctx.location.file);
  switch (filterMatch?.[1]) {
    case 'as_number': {
      const n = Number(text.trim());
      if (text.trim() === '' || Number.isNaN(n)) {
        throw new TsdbtError(`'${text}' is not a number (as_number)`, { code: 'yaml-render', location: ctx.location, hint: 'set the variable to a number' });
      }
      return n;
    }
    case 'as_bool':
      return /^(true|1|yes)$/i.test(text.trim());
    case 'as_native':
      return YAML.parse(text);
    default:
      return text;
  }
}
