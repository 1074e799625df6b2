// PyYAML's numbers (its SafeLoader's YAML 1.1 resolvers for int and float), which dbt reads every
// YAML file with. Where they differ from YAML 1.2's core schema (the `yaml` package's default):
// `010` is 8 (octal), `1_000` is 1000, `1:30` is 90 (base 60), `0b101` is 5; but `08`, `0o17`,
// `1e3` and `1.5e3` are strings (a float needs a dot, and its exponent a sign: `1.5e+3`), as is
// `0:30`. Shared by the project's YAML readers (config/yaml-file.ts, its fast path too, and
// config/vars.ts) and the templates' fromyaml (jinja/pylib/builtins/pyyaml.ts).
import type { ScalarTag, SchemaOptions } from 'yaml';

type Tags = Exclude<Extract<SchemaOptions['customTags'], readonly unknown[]>, null>;

/** resolver.py's int pattern. */
export const PY_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
/** resolver.py's float pattern. */
export const PY_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** The sign of `text` and the rest of it without underscores. */
function signed(text: string): [number, string] {
  const value = text.replace(/_/g, '');
  if (value.startsWith('-')) return [-1, value.slice(1)];
  return [1, value.startsWith('+') ? value.slice(1) : value];
}

/** `1:30:15` as base 60. */
function sexagesimal(value: string): number {
  return value.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/** SafeConstructor.construct_yaml_int of a text PY_INT matched. */
export function pyInt(text: string): number {
  const [sign, value] = signed(text);
  if (value === '0') return 0;
  if (value.startsWith('0b')) return sign * parseInt(value.slice(2), 2);
  if (value.startsWith('0x')) return sign * parseInt(value.slice(2), 16);
  if (value.startsWith('0')) return sign * parseInt(value, 8);
  if (value.includes(':')) return sign * sexagesimal(value);
  return sign * parseInt(value, 10);
}

/** SafeConstructor.construct_yaml_float of a text PY_FLOAT matched. */
export function pyFloat(text: string): number {
  const [sign, value] = signed(text.toLowerCase());
  if (value === '.inf') return sign * Infinity;
  if (value === '.nan') return NaN;
  if (value.includes(':')) return sign * sexagesimal(value);
  return sign * parseFloat(value);
}

/**
 * The schema's int and float tags with PyYAML's patterns and constructors: the `yaml` package's
 * `customTags` (after pyBooleans). `integralFloat` wraps a float with no fraction (`1.0`), for
 * templates that render it as Python does (`1.0`, not `1`).
 */
export function pyNumbers(tags: Tags, integralFloat: (n: number) => unknown = (n) => n): Tags {
  const kept = tags.filter((tag) => typeof tag === 'string' || (tag.tag !== 'tag:yaml.org,2002:int' && tag.tag !== 'tag:yaml.org,2002:float'));
  const like = (name: string) => tags.find((tag): tag is ScalarTag => typeof tag !== 'string' && tag.tag === name && !tag.format && 'test' in tag);
  const intTag: ScalarTag = { ...like('tag:yaml.org,2002:int'), tag: 'tag:yaml.org,2002:int', default: true, test: PY_INT, resolve: (text: string) => pyInt(text) };
  const floatTag: ScalarTag = {
    ...like('tag:yaml.org,2002:float'),
    tag: 'tag:yaml.org,2002:float',
    default: true,
    test: PY_FLOAT,
    resolve: (text: string) => {
      const n = pyFloat(text);
      return Number.isInteger(n) ? integralFloat(n) : n;
    },
  };
  return [...kept, intTag, floatTag];
}
