// Generates a synthetic dbt project of N models for benchmarks (issue 18's shape): each model refs
// 1-3 earlier models, calls a macro, has a config block and an is_incremental() branch, and has two
// schema tests in a schema.yml (not_null and unique on id): 10,000 models give 20,000 tests.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../scripts/seeded-random.js';


export function generateProject(dir: string, models: number, seed = 42): void {
  rmSync(dir, { recursive: true, force: true });
  const rand = mulberry32(seed);
  mkdirSync(path.join(dir, 'macros'), { recursive: true });
  writeFileSync(
    path.join(dir, 'dbt_project.yml'),
    ['name: bench', "version: '1.0.0'", 'config-version: 2', 'profile: bench', 'models:', '  bench:', '    +materialized: view', '    layer_0:', '      +materialized: table', ''].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'macros', 'cents_to_dollars.sql'),
    "{% macro cents_to_dollars(column, scale=2) -%}\n    round({{ column }} / 100.0, {{ scale }})\n{%- endmacro %}\n",
  );
  const perFolder = 500;
  let yaml: string[] = [];
  let folder = -1;
  const flushYaml = () => {
    if (folder >= 0 && yaml.length) writeFileSync(path.join(dir, 'models', `layer_${folder}`, 'schema.yml'), ['version: 2', 'models:', ...yaml, ''].join('\n'));
    yaml = [];
  };
  for (let i = 0; i < models; i++) {
    const f = Math.floor(i / perFolder);
    if (f !== folder) {
      flushYaml();
      folder = f;
      mkdirSync(path.join(dir, 'models', `layer_${f}`), { recursive: true });
    }
    const name = `model_${i}`;
    let sql: string;
    if (i === 0) {
      sql = "{{ config(materialized='table', tags=['root']) }}\nselect 1 as id, 100 as amount_cents\n";
    } else {
      const parents = new Set<number>();
      const count = 1 + Math.floor(rand() * 3);
      for (let p = 0; p < count; p++) parents.add(Math.floor(rand() * i));
      const list = [...parents];
      const [first, ...rest] = list;
      sql = [
        `{{ config(materialized='view', tags=['layer_${f}']) }}`,
        'select',
        `    p0.id,`,
        `    {{ cents_to_dollars('p0.amount_cents') }} as amount,`,
        `    p0.amount_cents`,
        `from {{ ref('model_${first}') }} as p0`,
        ...rest.map((p, k) => `join {{ ref('model_${p}') }} as p${k + 1} using (id)`),
        '{% if is_incremental() %}',
        'where p0.id > (select max(id) from {{ this }})',
        '{% endif %}',
        '',
      ].join('\n');
    }
    writeFileSync(path.join(dir, 'models', `layer_${f}`, `${name}.sql`), sql);
    yaml.push(`  - name: ${name}`, `    description: Model number ${i}`, '    columns:', '      - name: id', '        data_tests:', '          - not_null', '          - unique');
  }
  flushYaml();
}
