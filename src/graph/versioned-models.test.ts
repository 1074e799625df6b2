// Versioned models as property files declare them (dbt's UnparsedVersion / UnparsedModelUpdate),
// the files that define each version, and refs to them (dbt's RefableLookup with versions).
import { describe, expect, it } from 'vitest';
import { parseSchemaFile } from '../project/index.js';
import { normalizeDeprecationDate } from '../project/deprecation-date.js';
import type { TsdbtError } from '../errors/tsdbt-error.js';
import { TsdbtErrorList } from '../errors/tsdbt-error.js';
import { compareVersions, greatestVersion } from '../manifest/model-versions.js';
import { nodeSkeleton, defaultConfig } from './node-factory.js';
import { RefIndex } from './ref-index.js';
import { versionedModelFiles } from './versioned-models.js';
import type { ManifestNode } from '../manifest/types.js';

const parse = (content: string) => parseSchemaFile({ kind: 'yaml', path: 'models/schema.yml', absPath: '/x/models/schema.yml', resourceDir: 'models', content });

const CUSTOMERS = `version: 2
models:
  - name: customers
    description: top
    config: {materialized: table, meta: {owner: a}}
    columns:
      - name: customer_id
        data_tests: [unique]
      - name: customer_country
        description: lives in
      - name: first_purchase_date
    data_tests: [model_test]
    versions:
      - v: 4
      - v: 3
        columns:
          - include: "*"
          - name: customer_country
            description: first lived in
            data_tests: [not_null]
      - v: 2
        config: {meta: {team: b}}
        data_tests: []
        columns:
          - include: all
            exclude: [customer_country]
      - v: 1
        deprecation_date: 2020-01-01 12:30:00+02:00
        columns:
          - include: []
          - name: id
`;

describe('versions: in a property file', () => {
  const [entry] = parse(CUSTOMERS).models;
  const files = versionedModelFiles([entry!], new Set(['customers_v1', 'customers_v2', 'customers_v3', 'customers_v4']));
  const version = (v: number) => [...files.byFile.values()].find((m) => m.v === v)!;
  const names = (v: number) => version(v).patch.columns.map((c) => c.name);

  it('reads the docs example: include / exclude relative to the top-level columns, own columns win in place', () => {
    expect(entry?.latest_version).toBe(4);
    expect(names(4)).toEqual(['customer_id', 'customer_country', 'first_purchase_date']);
    expect(names(3)).toEqual(['customer_id', 'customer_country', 'first_purchase_date']);
    expect(version(3).patch.columns[1]?.description).toBe('first lived in');
    expect(names(2)).toEqual(['customer_id', 'first_purchase_date']);
    expect(names(1)).toEqual(['id']);
  });

  it('merges config deeply, inherits tests unless the version lists its own, and tests both copies of a redefined column', () => {
    expect(version(2).patch.config).toEqual({ materialized: 'table', meta: { owner: 'a', team: 'b' } });
    expect(version(4).patch.tests.map((t) => t.testName)).toEqual(['model_test']);
    expect(version(2).patch.tests).toEqual([]);
    expect(version(3).patch.testedColumns.flatMap((c) => c.tests.map((t) => `${c.name}:${t.testName}`))).toEqual(['customer_id:unique', 'customer_country:not_null']);
    expect(version(1).deprecationDate).toBe('2020-01-01T12:30:00+02:00');
    expect(version(4).deprecationDate).toBeNull();
  });

  it('finds the latest version in the unsuffixed file, another in defined_in, and warns about a version with no file', () => {
    const [m] = parse('version: 2\nmodels:\n  - name: m\n    latest_version: 2\n    versions:\n      - v: 1\n        defined_in: m_old.sql\n      - v: 2\n      - v: 3\n').models;
    const found = versionedModelFiles([m!], new Set(['m', 'm_old']));
    expect([...found.byFile.entries()].map(([file, v]) => `${file}=v${String(v.v)}`)).toEqual(['m_old=v1', 'm=v2']);
    expect(found.warnings).toHaveLength(1);
    expect(found.warnings[0]).toMatchObject({ event: 'NoNodeForYamlKey', location: { file: 'models/schema.yml', line: 9 } });
    expect(found.warnings[0]?.message).toContain("patch with name 'm_v3'");
  });

  it('rejects what dbt rejects, each at its line', () => {
    const bad = `version: 2
models:
  - name: m
    latest_version: 5
    versions:
      - v: 1
      - v: 1
      - v: 2
        columns:
          - include: [a]
            exclude: [b]
          - include: all
      - description: no v
      - v: 3
        deprecation_date: next tuesday
`;
    let errors: TsdbtError[] = [];
    try {
      parse(bad);
    } catch (err) {
      errors = err instanceof TsdbtErrorList ? err.errors : [err as TsdbtError];
    }
    expect(errors.map((e) => `${e.location?.line}: ${e.message}`)).toEqual([
      "7: Found duplicate version: '1' in versions list of model 'm'",
      '12: version can have at most one include/exclude element',
      "11: exclude can only be specified if include is one of 'all' or '*'",
      "13: each version of model 'm' needs a `v` (a number or a string)",
      "15: deprecation_date 'next tuesday' is not a date",
      "4: latest_version: 5 is not one of model 'm' versions: [1, 2, 3]",
    ]);
  });
});

describe('version order and dates', () => {
  it('orders numerically when both read as numbers, else as text (dbt UnparsedVersion.__lt__)', () => {
    expect(greatestVersion([9, 10, 2])).toBe(10);
    expect(greatestVersion(['9', '10'])).toBe('10');
    expect(greatestVersion(['alpha', 'beta'])).toBe('beta');
    expect(compareVersions(1.5, 2)).toBeLessThan(0);
  });

  it('normalises deprecation dates as dbt writes them (isoformat with offset; naive is local time)', () => {
    expect(normalizeDeprecationDate('1999-01-01 00:00:00.00+00:00')).toBe('1999-01-01T00:00:00+00:00');
    expect(normalizeDeprecationDate('2024-01-02T03:04:05.5Z')).toBe('2024-01-02T03:04:05.500000+00:00');
    expect(normalizeDeprecationDate('2024-01-02 03:04-0530')).toBe('2024-01-02T03:04:00-05:30');
    expect(Date.parse(normalizeDeprecationDate('2025-06-01') as string)).toBe(new Date(2025, 5, 1).getTime());
    expect(normalizeDeprecationDate('2025-02-30')).toBeNull();
    expect(normalizeDeprecationDate('soon')).toBeNull();
  });
});

describe('refs to versioned models', () => {
  const model = (name: string, version: number | null, latest: number | null, pkg = 'p'): ManifestNode => {
    const node = nodeSkeleton({ resourceType: 'model', packageName: pkg, name, originalFilePath: `models/${name}.sql`, pathInResourceDir: `${name}.sql`, rawCode: '', config: defaultConfig('model'), ...(version === null ? {} : { uniqueIdSuffix: `v${version}` }) });
    node.version = version;
    node.latest_version = latest;
    return node;
  };
  const reader = model('reader', null, null);
  reader.raw_code = "select 1\n-- x\nfrom {{ ref('dim', v=9) }}";
  const index = new RefIndex('p', [model('dim', 1, 2), model('dim', 2, 2), model('dim', 3, 2), model('plain', null, null), reader], [], []);
  const resolve = (call: Parameters<RefIndex['resolveRef']>[0]) => index.resolveRef(call, reader).unique_id;

  it('unpinned: the latest version; pinned: that version (a prerelease too), by number or text, with a package', () => {
    expect(resolve({ name: 'dim' })).toBe('model.p.dim.v2');
    expect(resolve({ name: 'dim', version: 3 })).toBe('model.p.dim.v3');
    expect(resolve({ name: 'dim', version: '1' })).toBe('model.p.dim.v1');
    expect(resolve({ name: 'dim', package: 'p', version: 1 })).toBe('model.p.dim.v1');
  });

  it('a version that does not exist names those that do, at the ref line; a version of an unversioned model says so', () => {
    expect(() => resolve({ name: 'dim', version: 9 })).toThrow("ref('dim', v=9): model 'dim' has no version 9; its versions are 1, 2, 3 (latest: 2)");
    try {
      resolve({ name: 'dim', version: 9 });
    } catch (err) {
      expect((err as TsdbtError).location).toEqual({ file: 'models/reader.sql', line: 3 });
    }
    expect(() => resolve({ name: 'plain', version: 1 })).toThrow("ref('plain', v=1): model 'plain' is not versioned");
  });
});
