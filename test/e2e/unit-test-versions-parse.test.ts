// dbt refuses a unit test whose `versions:` both includes and excludes versions when it parses the
// project (UnparsedUnitTest.validate; dbt-core's TestIncludeExcludeSpecified).
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';

const files = (versions: string) => ({
  'models/my_model_v1.sql': 'select 1 as id\n',
  'models/my_model_v2.sql': 'select 2 as id\n',
  'models/my_model_v3.sql': 'select 3 as id\n',
  'models/schema.yml': 'models:\n  - name: my_model\n    latest_version: 1\n    versions:\n      - v: 1\n      - v: 2\n      - v: 3\n',
  'models/unit_tests.yml': `unit_tests:\n  - name: test_my_model\n    model: my_model\n    versions: ${versions}\n    given: []\n    expect:\n      rows: [{id: 1}]\n`,
});

describe("a unit test's versions", () => {
  it('may not both include and exclude', async () => {
    const bad = await parseFiles(files('{include: [2], exclude: [3]}'));
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toContain("Invalid unit_tests config given in models/unit_tests.yml @ unit_tests: 'test_my_model' - Unit tests can not both include and exclude versions.");
  });

  it('may include', async () => {
    const ok = await parseFiles(files('{include: [2]}'));
    expect(ok.code, ok.out).toBe(0);
  });
});
