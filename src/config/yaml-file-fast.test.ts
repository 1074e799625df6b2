// The fast YAML path (js-yaml's events) against the `yaml` library's document model, which it
// must either agree with exactly (value, every position locate() gives, the duplicate-key
// warnings) or leave the file to: never accept a file the library refuses, never read one
// differently. Random texts from YAML's syntax and random structures (fast-check, fixed seed).
import fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { fastYaml, parseYamlDocument, parseYamlText } from './yaml-file.js';

const SEED = Number(process.env.FUZZ_SEED ?? 18_2026);

const TOKENS = [
  ': ', '- ', '-', '{', '}', '[', ']', ',', '"', "'", '&a ', '*a', '<<: *a', '<<: ', '!!binary ', '!!int ', '!!str ', '!tag ', '\t', '\n', '\n  ', '\n    ', '#', '| ', '> ', '|-\n  ', '%YAML 1.2\n', '---\n', '...\n', '? ', '~',
  'name', 'models', 'columns', 'config', 'a', 'b', '1', '"1"', 'true', 'True', 'yes', 'No', 'ON', 'off', 'y', 'n', 'null', 'Null', '0o17', '0x1F', '1_000', '0b101', '1e3', '.5', '-.inf', '.NaN', '+12', '2024-01-01', '1.0', '010', '08', '1:30', '0:30', '1.5e+3', '1.5e3', '-.5', "'it''s'", '"\\u263A"', '\u0000', '\uFEFF', '{{ var("x") }}',
];
const garbage = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(''));
const scalar = fc.oneof(fc.constantFrom(null, true, false, 0, -1, 1.5, 1e300, '', 'yes', 'no', 'On', 'OFF', 'y', 'N', '1', '0x1F', '1_000', '~', 'a: b', '- x', '#x', "{{ ref('m') }}"), fc.string({ maxLength: 8 }), fc.integer(), fc.double());
const structure = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(fc.oneof(fc.constantFrom('name', 'columns', '1', 'true', '<<', 'yes', 'off', 'y'), fc.string({ maxLength: 5 })), tie('any'), { maxKeys: 4 })),
})).any;
const texts = fc.oneof(
  garbage,
  garbage.map((t) => `version: 2\nmodels:\n  - name: m\n${t}`),
  structure.map((v) => YAML.stringify(v)),
  fc.tuple(structure, fc.constantFrom({}, { flowCollectionPadding: false }, { defaultStringType: 'QUOTE_DOUBLE' as const }, { collectionStyle: 'flow' as const })).map(([v, o]) => YAML.stringify(v, o)),
  fc.tuple(structure, structure).map(([a, b]) => `base: &base\n${YAML.stringify({ x: a }).replace(/^/gm, '  ')}\nuse:\n  <<: *base\n  y: ${JSON.stringify(b)}\nuse: again\n`),
);

/** Every key path into a value (and one beyond each leaf, which locate() answers with the parent's line). */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
  out.push(prefix);
  if (depth > 6) return out;
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out, depth + 1));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out, depth + 1);
  else out.push([...prefix, 'missing']);
  return out;
}

describe('the fast YAML path', () => {
  it('agrees with the yaml library on every file it reads, and leaves every file the library refuses', () => {
    const counts = { fast: 0, left: 0, refused: 0 };
    fc.assert(
      fc.property(texts, (text) => {
        let expected: ReturnType<typeof parseYamlDocument> | null = null;
        try {
          expected = parseYamlDocument(text, 'f.yml');
        } catch {
          // the library refuses it
        }
        const fast = fastYaml(text, 'f.yml');
        if (expected === null) {
          counts.refused++;
          expect(fast, 'the fast path accepted a file the yaml library refuses').toBeNull();
          return;
        }
        if (fast === null) {
          counts.left++;
          return;
        }
        counts.fast++;
        expect(fast.value).toEqual(expected.value);
        expect(fast.warnings).toEqual(expected.warnings);
        for (const p of paths(expected.value)) expect(fast.locate(p), JSON.stringify(p)).toEqual(expected.locate(p));
      }),
      { seed: SEED, numRuns: 3000 },
    );
    console.log(`fast YAML path: ${counts.fast} read fast, ${counts.left} left to the yaml library, ${counts.refused} refused by both`);
    expect(counts.fast).toBeGreaterThan(1000);
  });

  it('reads a property file as the yaml library does, positions included', () => {
    const text = ['version: 2', 'models:', '  - name: a', '    description: "x"', '    columns:', '      - name: id', '        data_tests: [not_null]', '      - name: id', '  - name: b', '    config: {tags: [t]}', '    config: {tags: [u]}', ''].join('\n');
    const fast = fastYaml(text, 'm.yml');
    expect(fast?.value).toEqual({ version: 2, models: [{ name: 'a', description: 'x', columns: [{ name: 'id', data_tests: ['not_null'] }, { name: 'id' }] }, { name: 'b', config: { tags: ['u'] } }] });
    expect(fast?.locate(['models', 1, 'config'])).toEqual({ file: 'm.yml', line: 11 });
    expect(fast?.locate(['models', 0, 'columns', 1])).toEqual({ file: 'm.yml', line: 8 });
    expect(fast?.warnings.map((w) => [w.location.line, w.event])).toEqual([[11, 'DuplicateYAMLKeysDeprecation']]);
    expect(parseYamlText(text, 'm.yml').value).toEqual(fast?.value);
  });
});
