// dbt's tojson / toyaml / fromyaml (dbt-core's context base: `json.dumps(value, sort_keys=...)`,
// `yaml.safe_dump(value, sort_keys=...)`, `yaml.safe_load(text)`), rendered through the template
// engine. Each expected text is what CPython 3 with PyYAML 6.0 prints for the same value.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../engine/index.js';
import { pythonBuiltins } from './builtins.js';

const env = new JinjaEnvironment();
const render = (template: string) => env.renderString(template, { ...pythonBuiltins() });

describe('toyaml is PyYAML safe_dump', () => {
  it('writes y and n bare, as PyYAML reads them as strings, and quotes its YAML 1.1 booleans', () => {
    const keys = ['y', 'n', 'Y', 'N', 'yes', 'no', 'NO', 'on', 'off', 'true', 'True'];
    const dict = `{${keys.map((k) => `'${k}': '${k}'`).join(', ')}}`;
    expect(render(`{{ toyaml(${dict}) }}`)).toBe(
      ["y: y", "n: n", "Y: Y", "N: N", "'yes': 'yes'", "'no': 'no'", "'NO': 'NO'", "'on': 'on'", "'off': 'off'", "'true': 'true'", "'True': 'True'", ''].join('\n'),
    );
    expect(render("{{ toyaml({'y': true, 'l': [1, 'y']}) }}")).toBe('y: true\nl:\n- 1\n- y\n');
  });

  it('double-quotes text outside printable ASCII, escaped, as allow_unicode=False does', () => {
    expect(render("{{ toyaml({'é': 'é', 'price': '10 €', 's': 'emoji 😀', 'tab': 'a\tb'}) }}")).toBe(
      '"\\xE9": "\\xE9"\nprice: "10 \\u20AC"\ns: "emoji \\U0001F600"\ntab: "a\\tb"\n',
    );
  });

  it('single-quotes a value of several lines', () => {
    expect(render("{{ toyaml({'multi': 'a\nb'}) }}")).toBe("multi: 'a\n\n  b'\n");
  });
});

describe('tojson is json.dumps', () => {
  it('escapes non-ASCII as ensure_ascii=True does, surrogate pairs included', () => {
    expect(render("{{ tojson({'é': 'ü', 's': '😀'}) }}")).toBe('{"\\u00e9": "\\u00fc", "s": "\\ud83d\\ude00"}');
  });
});

describe('fromyaml is PyYAML safe_load', () => {
  it('reads yes/no/on/off as booleans and y/n as strings', () => {
    expect(render("{% set d = fromyaml('a: yes\\nb: y\\nc: off\\nd: N\\ne: True\\nf: no\\ng: \"yes\"') %}{{ d }}")).toBe(
      "{'a': True, 'b': 'y', 'c': False, 'd': 'N', 'e': True, 'f': False, 'g': 'yes'}",
    );
  });
  it("reads numbers as PyYAML does: 1.0 stays a float, 010 is octal, 1e3 is text", () => {
    expect(render("{% set d = fromyaml('a: 1.0\nb: 010\nc: 1e3\nd: 1_000\ne: 2.5') %}{{ d }} {{ d.a * 3 }}")).toBe("{'a': 1.0, 'b': 8, 'c': '1e3', 'd': 1000, 'e': 2.5} 3.0");
  });
  it('reads a plain date as datetime.date and a timestamp as datetime.datetime; quoted, they stay text', () => {
    const load = "{% set d = fromyaml('d: 2024-01-31\\nt: 2024-01-31 10:00:00\\nq: \\'2024-01-31\\'') %}";
    expect(render(`${load}{{ d }}`)).toBe("{'d': datetime.date(2024, 1, 31), 't': datetime.datetime(2024, 1, 31, 10, 0), 'q': '2024-01-31'}");
    expect(render(`${load}{{ d.d.replace(day=2) }} {{ d.t.hour }} {{ d.q.replace('-', '') }}`)).toBe('2024-01-02 10 20240131');
    // safe_dump writes them back bare, and quotes a string that would read as a date
    expect(render(`${load}{{ toyaml(d) }}`)).toBe("d: 2024-01-31\nt: 2024-01-31 10:00:00\nq: '2024-01-31'\n");
  });
});
