// Renders Jinja inside YAML values (dbt_project.yml, profiles.yml, property files, packages.yml)
// the way dbt's renderers do: natively (dbt-common's `get_rendered(..., native=True)`).
//
// - A value that is one `{{ expression }}` and nothing else becomes the expression's value, as is:
//   `"{{ false }}"` is the boolean false, `"{{ 1 + 1 }}"` the number 2, `"{{ var('cols') }}"` the
//   list the var holds, `"{{ 'x' }}"` the text x. Text stays text: `"{{ env_var('PORT') }}"` is
//   '5432' (env vars are text), which `| as_number` turns into a number.
// - `| as_native`, `| as_bool`, `| as_number` on that expression read its text back as a Python
//   literal (dbt's NativeMarker and literal_eval); as_bool must give a boolean and as_number a
//   number, or the value is an error. `| as_text` keeps the text.
// - Anything else (text around the braces, several expressions, `{% if %}` blocks) renders to text.
import { DBT_VERSION } from '../../manifest/dbt-version.js';
import type { SourceLocation } from '../../errors/tsdbt-error.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { JinjaEnvironment, pyStr, takingTemplateValues, truthy, Undef } from '../engine/index.js';
import { parseTemplate } from '../engine/parse-template.js';
import { renderError, toJs } from '../engine/values.js';
import { literalEval } from '../pylib/ast/index.js';
import { callArgs } from '../pylib/args/index.js';
import { pythonBuiltins, pythonModules } from '../pylib/builtins/index.js';
import { lazyMembers } from '../pylib/datetime/index.js';
import { diffOfTwoDicts } from './dbt-context-extras.js';import { SECRET_ENV_PREFIX, secretEnvVarLocationError } from './secret-env-vars.js';


export interface YamlRenderContext {
  env: NodeJS.ProcessEnv;
  vars: Record<string, unknown>;
  location: SourceLocation;
  /** `target` (the profile's target, without secrets), where dbt gives it. */
  target?: Record<string, unknown>;
  /** The invocation's start (`run_started_at`, `modules.datetime` "now") and id; this process's start and none when not given. */
  startedAt?: Date;
  invocationId?: string;
  /** false: a var neither given nor defaulted is None (dbt's `deps`, require_vars=False); else an error, as dbt's Var. */
  requireVars?: boolean;
  /** The vars include dbt_project.yml's (property files); dbt_project.yml and profiles.yml see only --vars. */
  projectVars?: boolean;
  /** `project_name`, in the contexts dbt gives it (property files: a ConfiguredContext). */
  projectName?: string;
  /** Further names the context gives (`doc` in dbt's docs context, which renders descriptions). */
  globals?: Record<string, unknown>;
  /**
   * dbt's SecretRenderer (packages.yml): env_var of a DBT_ENV_SECRET_* variable gives a placeholder,
   * put back to the value only where it comes out of the template whole, so a filter that changed it
   * (`| join(' ')`) shows the placeholder changed, never the secret changed.
   */
  secretPlaceholders?: boolean;
  /**
   * dbt_project.yml and property files: env_var of a DBT_ENV_SECRET_* variable is an error (dbt's
   * SecretEnvVarLocationError; only profiles.yml and packages.yml may read secrets).
   */
  refuseSecrets?: boolean;
  /**
   * Where `log(msg, info)` and `print(msg)` write, where the command shows them (dbt's BaseContext
   * fires JinjaLogInfo / JinjaLogDebug / PrintEvent); without it they print nothing. A secret's
   * placeholder in the message prints as `*****`, as dbt's log masks it.
   */
  output?: (message: string, level: 'info' | 'debug' | 'print') => void;
}

/** dbt's SECRET_PLACEHOLDER. */
const secretPlaceholder = (name: string) => `$$$DBT_SECRET_START$$$${name}$$$DBT_SECRET_END$$$`;

/** The placeholders that came out whole, as their variables' values (dbt's SecretRenderer.render_value). */
function restoreSecrets(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value !== 'string' || !value.includes(SECRET_ENV_PREFIX)) return value;
  return value.replace(/\$\$\$DBT_SECRET_START\$\$\$(DBT_ENV_SECRET\w*)\$\$\$DBT_SECRET_END\$\$\$/g, (whole, name: string) => env[name] ?? whole);
}

/** dbt's log(): a secret's placeholder in the message is masked (`*****`), never its name nor its value. */
function maskPlaceholders(message: string): string {
  return message.includes('DBT_SECRET_START') ? message.replace(/\$\$\$DBT_SECRET_START\$\$\$DBT_ENV_SECRET.*\$\$\$DBT_SECRET_END\$\$\$/g, '*****') : message;
}

/**
 * `target` where a command runs without a profile (dbt's UnsetProfile for `deps` and `clean`: its
 * to_target_dict is a DictDefaultEmptyStr): an empty dict whose every key reads as ''
 * (`target.name in ['ci', 'prod']` is true, as `'' in '...'` is, rather than failing).
 */
export function unsetProfileTarget(): Record<string, unknown> {
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_target, key) => (typeof key === 'string' && !key.startsWith('__') && key !== 'then' && key !== 'toJSON' ? '' : undefined),
    has: () => false,
    ownKeys: () => [],
  });
}

const PROCESS_STARTED = new Date();
const baseCache = new WeakMap<Date, Record<string, unknown>>();

/**
 * dbt's BaseContext, which every YAML renderer's context extends (dbt_project.yml, profiles.yml,
 * packages.yml, property files): the Python builtins (zip, set, tojson, fromyaml, local_md5 ...),
 * `modules`, `run_started_at`, `thread_id`, `print`/`log` (they print where the render is given an `output`) and
 * `diff_of_two_dicts`. Built once per invocation start.
 */
function baseContext(startedAt: Date): Record<string, unknown> {
  let base = baseCache.get(startedAt);
  if (!base) {
    const modules = pythonModules(() => startedAt);
    base = {
      ...pythonBuiltins(),
      modules,
      run_started_at: undefined,
      thread_id: 'MainThread',
      log: () => '',
      print: () => '',
      debug: () => '',
      diff_of_two_dicts: diffOfTwoDicts,
      dbt_version: DBT_VERSION,
    };
    // Made when first read (a Python value: see lazyMembers).
    lazyMembers(base, { run_started_at: () => modules.datetime.datetime.fromtimestamp(startedAt.getTime() / 1000, modules.datetime.timezone.utc) });
    baseCache.set(startedAt, base);
  }
  return base;
}

type MarkerKind = 'text' | 'native' | 'bool' | 'number';

/**
 * What `| as_text` / `| as_native` / `| as_bool` / `| as_number` return here: text with a request.
 * dbt's markers are `str` subclasses, so inside the expression they still compare and contain as
 * their text: `target.name == 'prod' | as_bool()` (the filter binds to the literal) is true on the
 * prod target, and `target.name in ['ci', 'prod'] | as_bool()` a substring test on the list's
 * text.
 */
class NativeMarker {
  constructor(
    readonly kind: MarkerKind,
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }

  __eq__(other: unknown): boolean {
    return this.text === (other instanceof NativeMarker ? other.text : other);
  }

  __contains__(item: unknown): boolean {
    if (typeof item !== 'string' && !(item instanceof NativeMarker)) throw renderError(`'in <string>' requires string as left operand`);
    return this.text.includes(String(item));
  }
}

let shared: JinjaEnvironment | null = null;

function environment(): JinjaEnvironment {
  if (shared) return shared;
  shared = new JinjaEnvironment();
  const kinds: [string, MarkerKind][] = [['as_text', 'text'], ['as_native', 'native'], ['as_bool', 'bool'], ['as_number', 'number']];
  for (const [name, kind] of kinds) shared.addFilter(name, (value) => new NativeMarker(kind, pyStr(value)));
  return shared;
}

function hasJinja(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}

/** The expression of a template that is exactly one `{{ ... }}`, or null. */
function singleExpression(template: string, file: string): string | null {
  const root = parseTemplate(template, file);
  const only = root.children.length === 1 ? root.children[0] : undefined;
  if (only?.typename !== 'Output' || only.children.length !== 1 || only.children[0]?.typename === 'TemplateData') return null;
  return /^\{\{[-+]?([\s\S]*?)[-+]?\}\}$/.exec(template)?.[1] ?? null;
}

/** dbt's `quoted_native_concat` for one value: markers read back, everything else as is. */
function nativeValue(value: unknown, location: SourceLocation): unknown {
  if (value instanceof Undef || value === undefined) return null;
  if (!(value instanceof NativeMarker)) return toJs(value);
  if (value.kind === 'text') return value.text;
  const parsed = literalEval(value.text);
  const result = parsed ? parsed.value : value.text;
  if (value.kind === 'bool' && typeof result !== 'boolean') {
    // dbt accepts only True / False here; the spellings env vars usually carry are accepted too.
    if (/^\s*(true|yes|on|1)\s*$/i.test(value.text)) return true;
    if (/^\s*(false|no|off|0)\s*$/i.test(value.text)) return false;
    throw new TsdbtError(`could not convert '${value.text}' into a boolean (as_bool)`, { code: 'yaml-render', location, hint: 'give it True or False' });
  }
  if (value.kind === 'number' && typeof result !== 'number') {
    throw new TsdbtError(`could not convert '${value.text}' into a number (as_number)`, { code: 'yaml-render', location, hint: 'give it a number' });
  }
  return result;
}

/**
 * Puts an error raised inside the value on the YAML file's line (the template's line 1 is the key's
 * line): where it was raised and each step of its call chain that was the value's template.
 */
function relocate(err: unknown, templatePath: string, location: SourceLocation): unknown {
  if (!(err instanceof TsdbtError)) return err;
  const onFile = (at: SourceLocation | undefined): SourceLocation => {
    const offset = at?.line !== undefined && location.line !== undefined ? at.line - 1 : 0;
    return { file: location.file, ...(location.line !== undefined ? { line: location.line + offset } : {}) };
  };
  if (!err.location || err.location.file === templatePath) err.location = onFile(err.location);
  err.calledFrom = err.calledFrom.map((step) => (step.file === templatePath ? onFile(step) : step));
  return err;
}

/** Renders one YAML value natively (see the file comment); values without Jinja come back unchanged. */
export function renderYamlValue(template: unknown, ctx: YamlRenderContext): unknown {
  if (typeof template !== 'string' || !hasJinja(template)) return template;
  const env = environment();
  const templatePath = `${ctx.location.file}${ctx.location.line !== undefined ? `:${ctx.location.line}` : ''}`;
  const own: Record<string, unknown> = {
    invocation_id: ctx.invocationId ?? null,
    ...(ctx.projectName !== undefined ? { project_name: ctx.projectName } : {}),
    env_var: (...args: unknown[]) => {
      const { var: name, default: fallback } = callArgs(args, ['var', 'default']) as { var: string; default?: unknown };
      const secret = ctx.refuseSecrets ? secretEnvVarLocationError(String(name)) : null;
      if (secret) {
        secret.location = ctx.location;
        throw secret;
      }
      const value = ctx.env[name];
      if (value !== undefined) return ctx.secretPlaceholders && name.startsWith(SECRET_ENV_PREFIX) ? secretPlaceholder(name) : value;
      if (fallback !== undefined) return fallback;
      throw new TsdbtError(`Env var required but not provided: '${name}'`, {
        code: 'env-var-missing',
        location: ctx.location,
        hint: `export ${name}=... or give a default: env_var('${name}', 'default')`,
      });
    },
    // A var holding a template renders (to text) where it is read, as dbt's Var.get_rendered_var.
    var: (...args: unknown[]) => {
      const { var_name: name, default: fallback } = callArgs(args, ['var_name', 'default']) as { var_name: string; default?: unknown };
      if (!Object.prototype.hasOwnProperty.call(ctx.vars, name)) {
        if (fallback !== undefined || ctx.requireVars === false) return fallback ?? null;
        // dbt's Var: a var neither given nor defaulted is an error (RequiredVarNotFoundError), but for `deps`.
        throw new TsdbtError(`Required var '${name}' not found in config`, {
          code: 'var-missing',
          location: ctx.location,
          hint: `pass --vars '{${name}: ...}'${ctx.projectVars ? ' or set it under vars: in dbt_project.yml' : ''}, or give a default: var('${name}', 'default')`,
        });
      }
      const value = ctx.vars[name];
      return typeof value === 'string' && hasJinja(value) ? env.renderString(value, context, `${templatePath} var('${name}')`) : value;
    },
    ...(ctx.output
      ? {
          log: takingTemplateValues((...args: unknown[]) => {
            const { msg, info } = callArgs(args, ['msg', 'info']);
            ctx.output!(maskPlaceholders(pyStr(msg)), truthy(info) ? 'info' : 'debug');
            return '';
          }),
          print: takingTemplateValues((...args: unknown[]) => {
            ctx.output!(pyStr(callArgs(args, ['msg']).msg), 'print');
            return '';
          }),
        }
      : {}),
    // dbt's dbt_project.yml and properties.yml contexts also give builtins.
    ...(ctx.target ? { target: ctx.target } : {}),
    ...ctx.globals,
  };
  // The base's members as they are (a spread would read its lazy ones: run_started_at), the value's own over them.
  const context = Object.defineProperties(Object.defineProperties({}, Object.getOwnPropertyDescriptors(baseContext(ctx.startedAt ?? PROCESS_STARTED))), Object.getOwnPropertyDescriptors(own)) as Record<string, unknown>;
  context.builtins = { env_var: context.env_var, var: context.var };
  try {
    const expression = singleExpression(template, templatePath);
    if (expression === null) return restoreSecrets(env.renderString(template, context, templatePath), ctx.env);
    let captured: unknown;
    context.__tsdbt_native = (value: unknown) => {
      captured = value;
      return '';
    };
    env.renderString(`{{ __tsdbt_native((${expression})) }}`, context, templatePath);
    return restoreSecrets(nativeValue(captured, ctx.location), ctx.env);
  } catch (err) {
    throw relocate(err, templatePath, ctx.location);
  }
}

/** A property-file or project value rendered for text (a schema name, an identifier). */
export function renderYamlText(template: string, ctx: YamlRenderContext): string {
  const value = renderYamlValue(template, ctx);
  return value === null || value === undefined ? '' : pyStr(value);
}
