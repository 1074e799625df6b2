// Names dbt requires to be unique within a package fail the parse when repeated, with both places:
// an exposure, metric or group declared twice, a macro defined twice (in one file or two), a source
// table listed twice (one source's tables split over two files are not), two models or analyses of one name.
import { describe, expect, it } from 'vitest';
import { offlineParseError, offlineProject } from '../support/offline-project.js';

const PROJECT = 'name: demo\nprofile: demo\nconfig-version: 2\n';

describe('duplicate resource names', () => {
  it('an exposure declared twice', async () => {
    const exposure = '  - name: weekly\n    type: dashboard\n    owner: {email: a@b.c}\n';
    const error = await offlineParseError({ 'dbt_project.yml': PROJECT, 'models/m.sql': 'select 1 as id', 'models/exposures.yml': `version: 2\nexposures:\n${exposure}${exposure}` });
    expect(error).toContain("dbt found two exposures with the name 'weekly': models/exposures.yml:3 and models/exposures.yml:6");
  });

  it('a group declared in two files', async () => {
    const group = 'version: 2\ngroups:\n  - name: finance\n    owner: {email: a@b.c}\n';
    const error = await offlineParseError({ 'dbt_project.yml': PROJECT, 'models/a.yml': group, 'models/b.yml': group });
    expect(error).toMatch(/dbt found two groups with the name 'finance': models\/[ab]\.yml:3 and models\/[ab]\.yml:3/);
  });

  it('a macro defined twice in one file', async () => {
    const error = await offlineParseError({
      'dbt_project.yml': PROJECT,
      'models/m.sql': 'select 1 as id',
      'macros/m.sql': '{% macro cents(x) %}{{ x }} * 100{% endmacro %}\n\n{% macro cents(x) %}{{ x }}{% endmacro %}\n',
    });
    expect(error).toContain('dbt found multiple macros named "cents"');
    expect(error).toContain('macros/m.sql:1 and macros/m.sql:3');
  });

  it('a source table listed twice (one source split over two files is fine)', async () => {
    const twice = await offlineParseError({ 'dbt_project.yml': PROJECT, 'models/src.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n      - name: events\n' });
    expect(twice).toContain("dbt found two sources with the name 'raw.events': models/src.yml:5 and models/src.yml:6");
    // One source's tables in two files is no duplicate (dbt reads them as one source; a real
    // project, dq-tools, declares its seeds' source this way).
    const split = await offlineProject(
      {
        'dbt_project.yml': PROJECT,
        'models/a.yml': 'version: 2\nsources:\n  - name: raw\n    tables: [{name: events}]\n',
        'models/b.yml': 'version: 2\nsources:\n  - name: raw\n    tables: [{name: users}]\n',
      },
      'parse',
    );
    expect(Object.keys(split.manifest().sources ?? {}).sort()).toEqual(['source.demo.raw.events', 'source.demo.raw.users']);
  });

  it('two analyses of one name', async () => {
    const error = await offlineParseError({ 'dbt_project.yml': PROJECT, 'analyses/a/report.sql': 'select 1', 'analyses/b/report.sql': 'select 2' });
    expect(error).toContain("dbt found two analyses with the name 'report'");
  });
});
