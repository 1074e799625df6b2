// Exposures (and metrics, saved queries, semantic models) are members of dbt's selection graph
// (dbt docs: reference/node-selection/methods, `exposure:` and `group:`; graph operators): `+exposure:x`
// selects what the exposure reads, `orders+` and `+group:g+` reach the exposures that read it, and
// `ls` lists them as `exposure:package.name`. `path:` also matches the property file that patches a
// node, and a model whose name has a dot (`alternative.users`) is selected by that name.
import { afterAll, describe, expect, it } from 'vitest';
import { createInvocation, type InvocationOptions } from '../../src/app/invocation.js';
import { lsCommand, type LsOptions } from '../../src/app/ls-command.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'models/stg_orders.sql': "select id from {{ source('raw', 'orders') }}\n",
  'models/orders.sql': "{{ config(group='finance') }}\nselect id from {{ ref('stg_orders') }}\n",
  'models/report.sql': "select id from {{ ref('orders') }}\n",
  'models/alternative.users.sql': 'select 1 as id\n',
  'models/unrelated.sql': 'select 2 as id\n',
  'models/docs/orders_props.yml': 'version: 2\nmodels:\n  - name: report\n    description: the report\n',
  'models/schema.yml': [
    'version: 2',
    'groups:',
    '  - name: finance',
    '    owner: {email: f@example.com}',
    'sources:',
    '  - name: raw',
    '    tables:',
    '      - name: orders',
    'exposures:',
    '  - name: revenue_dashboard',
    '    type: dashboard',
    '    owner: {email: a@example.com}',
    '    depends_on:',
    "      - ref('orders')",
    '  - name: churn_model',
    '    type: ml',
    '    owner: {email: a@example.com}',
    '    depends_on:',
    "      - source('raw', 'orders')",
    '',
  ].join('\n'),
};

describe('ls with exposures, groups, patch paths and dotted names', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));

  const ls = async (init: Partial<InvocationOptions>, options: LsOptions = { output: 'selector' }) => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: () => undefined, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir }, color: false, ...init });
    expect(await lsCommand(inv, options)).toBe(0);
    return lines;
  };

  it("+exposure:x lists the exposure and everything it reads; 1+ only its direct parents", async () => {
    expect(await ls({ select: ['+exposure:churn_model'] })).toEqual(['exposure:shop.churn_model', 'source:shop.raw.orders']);
    expect(await ls({ select: ['+exposure:revenue_dashboard'] })).toEqual(['exposure:shop.revenue_dashboard', 'shop.orders', 'shop.stg_orders', 'source:shop.raw.orders']);
    expect(await ls({ select: ['1+exposure:shop.revenue_dashboard'] })).toEqual(['exposure:shop.revenue_dashboard', 'shop.orders']);
  });

  it('exposure:* and --resource-type exposure list the exposures (names, paths, JSON too)', async () => {
    const both = ['exposure:shop.churn_model', 'exposure:shop.revenue_dashboard'];
    expect(await ls({ select: ['exposure:*'] })).toEqual(both);
    expect(await ls({ resourceTypes: ['exposure'] })).toEqual(both);
    expect(await ls({ resourceTypes: ['exposure'] }, { output: 'name' })).toEqual(['churn_model', 'revenue_dashboard']);
    expect(await ls({ resourceTypes: ['exposure'] }, { output: 'path' })).toEqual(['models/schema.yml', 'models/schema.yml']);
    const [row] = (await ls({ select: ['exposure:revenue_dashboard'] }, { output: 'json' })).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(row).toMatchObject({ name: 'revenue_dashboard', resource_type: 'exposure', unique_id: 'exposure.shop.revenue_dashboard', depends_on: { nodes: ['model.shop.orders'] } });
  });

  it("a model's children include the exposures that read it; group:g selects its models, +group:g+ their exposures", async () => {
    expect(await ls({ select: ['orders+'] })).toEqual(['exposure:shop.revenue_dashboard', 'shop.orders', 'shop.report']);
    expect(await ls({ select: ['group:finance'] })).toEqual(['shop.orders']);
    expect(await ls({ select: ['+group:finance+'] })).toEqual(['exposure:shop.revenue_dashboard', 'shop.orders', 'shop.report', 'shop.stg_orders', 'source:shop.raw.orders']);
  });

  it('path: matches the property file that patches a model; a dotted model name selects that model', async () => {
    expect(await ls({ select: ['models/docs/orders_props.yml'] })).toEqual(['shop.report']);
    expect(await ls({ select: ['alternative.users'] })).toEqual(['shop.alternative.users']);
  });
});
