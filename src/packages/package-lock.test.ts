// package-lock.yml as dbt writes it: sha1_hash checked against locks dbt itself wrote in public
// projects (the packages.yml beside each lock, hashed here, gives dbt's sha1_hash), and the
// file's layout (sorted keys, indented items, PyYAML's quoting).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockText, packagesHash, pythonJson, yamlScalar } from './package-lock.js';
import { readPackageSpecs } from './package-specs.js';

describe('package-lock.yml', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hashOf = (packagesYml: string) => {
    writeFileSync(path.join(dir, 'packages.yml'), packagesYml);
    return packagesHash(readPackageSpecs(dir));
  };

  it("computes dbt's sha1_hash for hub packages (cal-itp/data-infra warehouse/package-lock.yml)", () => {
    const yml = 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.3\n  - package: metaplane/dbt_expectations\n    version: 0.10.10\n';
    expect(hashOf(yml)).toBe('d46262da56c4456d8e21914ec17a05de5964329b');
  });

  it("computes dbt's sha1_hash for hub and git packages (dbt-labs/jaffle-shop package-lock.yml)", () => {
    const yml = [
      'packages:',
      '  - package: dbt-labs/dbt_utils',
      '    version: 1.1.1',
      '  - package: godatadriven/dbt_date',
      '    version: 0.10.0',
      '  - git: "https://github.com/dbt-labs/dbt-audit-helper.git"',
      '    revision: main',
      '',
    ].join('\n');
    expect(hashOf(yml)).toBe('f2a73967505955af30d18f70489a423fd47cdf79');
  });

  it("computes dbt's sha1_hash for a local package (dbt-utils integration_tests/package-lock.yml)", () => {
    expect(hashOf('packages:\n    - local: ../\n')).toBe('de2deba3d66ce03d8c02949013650cc9b94f6030');
  });

  it("writes JSON as Python's json.dumps(sort_keys=True) does", () => {
    expect(pythonJson({ b: [1, 'x'], a: null, c: true, d: 'é"\\' })).toBe('{"a": null, "b": [1, "x"], "c": true, "d": "\\u00e9\\"\\\\"}');
  });

  it("quotes scalars as PyYAML's dumper does", () => {
    expect(yamlScalar('1.3.0')).toBe('1.3.0');
    expect(yamlScalar('1.0')).toBe("'1.0'");
    expect(yamlScalar('123')).toBe("'123'");
    expect(yamlScalar('yes')).toBe("'yes'");
    expect(yamlScalar('https://github.com/dbt-labs/dbt-audit-helper.git')).toBe('https://github.com/dbt-labs/dbt-audit-helper.git');
    expect(yamlScalar("https://{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') }}@host/x.git")).toBe("https://{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') }}@host/x.git");
    expect(yamlScalar('{{ x }}')).toBe("'{{ x }}'");
  });

  it("lays the file out as dbt's lock (sorted keys, indented list items, sha1_hash last)", () => {
    const text = lockText(
      [
        { name: 'dbt_utils', package: 'dbt-labs/dbt_utils', version: '1.3.3' },
        { git: 'https://github.com/dbt-labs/dbt-audit-helper.git', name: 'audit_helper', revision: 'b8f3a3348ce0ff8afc3aa4b9ade2123b00772473' },
      ],
      'abc',
    );
    expect(text).toBe(
      [
        'packages:',
        '  - name: dbt_utils',
        '    package: dbt-labs/dbt_utils',
        '    version: 1.3.3',
        '  - git: https://github.com/dbt-labs/dbt-audit-helper.git',
        '    name: audit_helper',
        '    revision: b8f3a3348ce0ff8afc3aa4b9ade2123b00772473',
        'sha1_hash: abc',
        '',
      ].join('\n'),
    );
  });
});
