// dbt's exposure properties (docs: "Exposure properties"; dbt-core's UnparsedExposure): `name`,
// `type` (dashboard, notebook, analysis, ml, application) and `owner` (with a name or an email)
// are required, `maturity` is low, medium or high; a name with characters other than letters,
// digits, underscores and hyphens warns ExposureNameDeprecation (use `label:` for a title).
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';

const model = { 'models/orders.sql': 'select 1 as id\n' };
const exposure = (body: string) => ({ ...model, 'models/exposures.yml': `version: 2\nexposures:\n  - name: weekly_report\n${body}    depends_on:\n      - ref('orders')\n` });

describe('exposure entries dbt refuses as it reads them', () => {
  it('parse a complete exposure without a warning', async () => {
    const out = await parseFiles(exposure('    type: dashboard\n    maturity: high\n    owner:\n      email: data@example.com\n'));
    expect(out.code, out.out).toBe(0);
    expect(out.out).not.toContain('ExposureNameDeprecation');
  });

  it('refuse an exposure without an owner', async () => {
    const out = await parseFiles(exposure('    type: dashboard\n'));
    expect(out.code).toBe(2);
    expect(out.out).toContain("Invalid exposures config given in models/exposures.yml @ exposures: 'owner' is a required property (of 'weekly_report')");
  });

  it('refuse a type that is not one of dbt\'s', async () => {
    const out = await parseFiles(exposure('    type: report\n    owner: {name: Data team}\n'));
    expect(out.code).toBe(2);
    expect(out.out).toContain("'report' is not one of ['dashboard', 'notebook', 'analysis', 'ml', 'application']");
  });

  it('refuse an owner with neither a name nor an email', async () => {
    const out = await parseFiles(exposure('    type: notebook\n    owner: {slack: "#data"}\n'));
    expect(out.code).toBe(2);
    expect(out.out).toContain("Exposure owner must have at least one of 'name' or 'email'.");
  });

  it('refuse a maturity other than low, medium or high', async () => {
    const out = await parseFiles(exposure('    type: ml\n    maturity: beta\n    owner: {name: Data team}\n'));
    expect(out.code).toBe(2);
    expect(out.out).toContain("'beta' is not one of ['low', 'medium', 'high']");
  });

  it('warn ExposureNameDeprecation for a name with spaces, and parse', async () => {
    const files = { ...model, 'models/exposures.yml': "version: 2\nexposures:\n  - name: Weekly report\n    type: dashboard\n    owner: {name: Data team}\n    depends_on:\n      - ref('orders')\n" };
    const out = await parseFiles(files);
    expect(out.code, out.out).toBe(0);
    expect(out.out).toContain("the 'name' of an exposure should contain only letters, numbers, and underscores");
    expect(out.out).toContain('Weekly report does not follow this pattern.');
  });
});
