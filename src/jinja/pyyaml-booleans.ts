// PyYAML's booleans (its SafeLoader's YAML 1.1 resolver): yes/no/on/off/true/false, each in its
// three spellings, but not y/n. dbt reads every YAML file with PyYAML, so `enabled: no` in a
// property file is False there, and must be here; the `yaml` package's YAML 1.2 core schema reads
// only true/false, and its 1.1 schema also reads `y`/`n`. Shared by the project's YAML reader
// (config/yaml-file.ts, config/vars.ts) and the templates' fromyaml/toyaml (jinja/pylib).
import { Scalar, type ScalarTag, type SchemaOptions } from 'yaml';

type Tags = Exclude<Extract<SchemaOptions['customTags'], readonly unknown[]>, null>;

export const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
export const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const PY_BOOL = new RegExp(`${PY_TRUE.source}|${PY_FALSE.source}`);

/** The schema's boolean tags with PyYAML's resolver patterns (Resolver.add_implicit_resolver for bool): the `yaml` package's `customTags`. */
export function pyBooleans(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:bool' || !('test' in tag) || !tag.test) return tag;
    // The 1.1 schema has a tag for each value, the core schema one for both.
    const [truth, falsity] = [tag.test.test('true'), tag.test.test('false')];
    const test = truth && falsity ? PY_BOOL : truth ? PY_TRUE : PY_FALSE;
    return { ...tag, test, resolve: (text: string) => new Scalar(PY_TRUE.test(text)) } satisfies ScalarTag;
  });
}
