// dbt-adapters' BaseRelation.matches(database=None, schema=None, identifier=None), as templates call
// it (positionally or by name): parts left out are not compared; a part the relation does not quote
// matches ignoring case (the warehouse folds it); a match only ignoring case and quotes is refused
// as ambiguous (dbt's ApproximateMatchError), not answered. Found missing by conf-new7's review.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

const model = (sql: string) => ({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'models/orders.sql': sql });

describe('relation.matches()', () => {
  it('compares the parts given, by position or by name', async () => {
    const p = await offlineProject(
      model(
        [
          "{{ this.matches(identifier='orders') }}",
          "{{ this.matches(schema='main', identifier='orders') }}",
          "{{ this.matches(none, 'main', 'orders') }}",
          "{{ this.matches(identifier='customers') }}",
          "{{ this.matches(schema='other') }}",
          "{{ this.quote(identifier=false).matches(identifier='ORDERS') }}",
          "{{ this.quote_character }}",
        ].join('\n'),
      ),
    );
    dirs.push(p.dir);
    expect(p.compiled('orders').split('\n')).toEqual(['True', 'True', 'True', 'False', 'False', 'True', '"']);
  });

  it('refuses an approximate match (quoted, differing only in case) and a call without parts', async () => {
    await expect(offlineProject(model("{{ this.matches(identifier='ORDERS') }}"))).rejects.toThrow(/found an approximate match[\s\S]*Searched for: ORDERS/);
    await expect(offlineProject(model('{{ this.matches() }}'))).rejects.toThrow(/no search path was passed/);
  });
});
