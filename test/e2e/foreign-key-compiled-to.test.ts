// dbt's compile writes a model's foreign key `to:` as the relation it names (compilation.py
// `_compile_relation_for_foreign_key_constraint_to`), at the model level and the column level;
// the parse's manifest keeps `ref(...)` as written (dbt-core's TestModelLevelForeignKeyConstraintToRef).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { PGLITE_PROFILES } from '../support/parse-files.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

type Constraint = { type: string; to: string | null };
type Node = { constraints: Constraint[]; columns: Record<string, { constraints: Constraint[] }> };

describe("a compiled model's foreign keys in manifest.json", () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'profiles.yml': PGLITE_PROFILES,
    'models/my_model.sql': 'select 1 as id, 1 as other_id\n',
    'models/my_model_to.sql': 'select 1 as id\n',
    'models/schema.yml': [
      'models:',
      '  - name: my_model',
      '    constraints:',
      "      - {type: foreign_key, columns: [id], to: \"ref('my_model_to')\", to_columns: [id]}",
      '    columns:',
      '      - name: other_id',
      '        constraints:',
      "          - {type: foreign_key, to: \"ref('my_model_to')\", to_columns: [id]}",
      '',
    ].join('\n'),
  });
  afterAll(() => removeDir(dir));
  const node = () => (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, Node> }).nodes['model.demo.my_model'] as Node;
  const tos = (n: Node) => [n.constraints[0]?.to, n.columns.other_id?.constraints[0]?.to];

  it('keep ref() after parse and name the relation after compile', async () => {
    const args = ['--project-dir', dir, '--profiles-dir', dir];
    const parsed = await runTsdbt(['parse', ...args]);
    expect(parsed.code, parsed.stdout + parsed.stderr).toBe(0);
    expect(tos(node())).toEqual(["ref('my_model_to')", "ref('my_model_to')"]);
    const compiled = await runTsdbt(['compile', ...args]);
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    expect(tos(node())).toEqual(['"postgres"."main"."my_model_to"', '"postgres"."main"."my_model_to"']);
  });
});
