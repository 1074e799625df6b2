// dbt's get_empty_schema_sql warns when a contracted column is typed `numeric` (or `decimal`,
// `number`) without precision or scale, as the warehouse may round its values; `--warn-error`
// makes it the model's Compilation Error (dbt-core's tests/functional/contracts/test_contract_precision.py).
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

const MESSAGE = "Detected columns with numeric type and unspecified precision/scale, this can lead to unintended rounding: ['non_integer']";
const schema = (type: string) => `version: 2\nmodels:\n  - name: my_numeric_model\n    config:\n      contract: {enforced: true}\n    columns:\n      - {name: non_integer, data_type: '${type}'}\n`;

describe('a contracted numeric column without precision', () => {
  const p = warehouseProject('pglite', { 'models/my_numeric_model.sql': 'select 1.234 as non_integer\n', 'models/schema.yml': schema('numeric') });
  afterAll(() => p.cleanup());

  it('is a warning, and an error under --warn-error', async () => {
    const warned = await p.run('run');
    expect(warned.code, warned.output).toBe(0);
    expect(warned.output).toContain(MESSAGE);
    const failed = await p.run('run', { warnError: true });
    expect(failed.code).toBe(1);
    expect(failed.results[0]?.message).toMatch(/^Compilation Error in model my_numeric_model/);
    expect(failed.results[0]?.message).toContain(MESSAGE);
  });

  it('is not warned of with precision and scale', async () => {
    p.write('models/schema.yml', schema('numeric(38,3)'));
    const ok = await p.run('run');
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).not.toContain('unspecified precision/scale');
  });
});
