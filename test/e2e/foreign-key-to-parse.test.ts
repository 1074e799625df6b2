// A model's foreign key constraint names its parent as `to: ref(...)` or `to: source(...)`; dbt
// (schemas.py `_process_constraints_refs_and_sources`) refuses anything else when it parses the
// project (dbt-core's TestModelLevelForeignKeyConstraintRefSyntaxError and its column-level twin).
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';

const MODELS = { 'models/my_model.sql': 'select 1 as id\n', 'models/my_model_to.sql': 'select 1 as id\n' };

describe("a foreign key's `to:`", () => {
  it.each([
    ['model level', 'models:\n  - name: my_model\n    constraints:\n      - {type: foreign_key, columns: [id], to: invalid, to_columns: [id]}\n    columns:\n      - {name: id, data_type: integer}\n'],
    ['column level', 'models:\n  - name: my_model\n    columns:\n      - name: id\n        data_type: integer\n        constraints:\n          - {type: foreign_key, to: invalid, to_columns: [id]}\n'],
  ])('that is no ref or source call is a parse error (%s)', async (_level, yml) => {
    const bad = await parseFiles({ ...MODELS, 'models/schema.yml': yml });
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toContain("Invalid 'ref' or 'source' syntax on foreign key constraint 'to' on model my_model: invalid.");
  });

  it("that is a ref parses", async () => {
    const ok = await parseFiles({ ...MODELS, 'models/schema.yml': "models:\n  - name: my_model\n    constraints:\n      - {type: foreign_key, columns: [id], to: \"ref('my_model_to')\", to_columns: [id]}\n" });
    expect(ok.code, ok.out).toBe(0);
  });
});
