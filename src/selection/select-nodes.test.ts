import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { parseSelectorsYaml, selectNodes, type SelectableGraph, type SelectableNode } from './index.js';

// raw_events(seed) -> stg_events -> int_sessions -> mart_metrics
//                                \-> user_sessions <- stg_users <- source raw.users
// tests: not_null on stg_events, unique on int_sessions, relationships user_sessions -> stg_users
function node(id: string, partial: Partial<SelectableNode>): SelectableNode {
  const [type, pkg, name] = id.split('.') as [string, string, string];
  return { unique_id: id, name, resource_type: type, package_name: pkg, fqn: [pkg, name], original_file_path: `models/${name}.sql`, tags: [], config: { materialized: 'view' }, depends_on: [], ...partial };
}

const nodes: SelectableNode[] = [
  node('seed.p.raw_events', { fqn: ['p', 'raw_events'], original_file_path: 'seeds/raw_events.csv', config: { materialized: 'seed' } }),
  node('source.p.raw.users', { name: 'users', resource_type: 'source', source_name: 'raw', fqn: ['p', 'raw', 'users'], original_file_path: 'models/staging/_sources.yml' }),
  node('model.p.stg_events', { fqn: ['p', 'staging', 'stg_events'], original_file_path: 'models/staging/stg_events.sql', tags: ['staging', 'nightly'], depends_on: ['seed.p.raw_events'] }),
  node('model.p.stg_users', { fqn: ['p', 'staging', 'stg_users'], original_file_path: 'models/staging/stg_users.sql', tags: ['staging'], depends_on: ['source.p.raw.users'] }),
  node('model.p.int_sessions', { fqn: ['p', 'intermediate', 'int_sessions'], original_file_path: 'models/intermediate/int_sessions.sql', config: { materialized: 'table', meta: { owner: 'ana' } }, depends_on: ['model.p.stg_events'] }),
  node('model.p.mart_metrics', { fqn: ['p', 'marts', 'mart_metrics'], original_file_path: 'models/marts/mart_metrics.sql', tags: ['marts'], config: { materialized: 'table' }, depends_on: ['model.p.int_sessions'] }),
  node('model.p.user_sessions', { fqn: ['p', 'marts', 'user_sessions'], original_file_path: 'models/marts/user_sessions.sql', tags: ['marts'], config: { materialized: 'table' }, depends_on: ['model.p.int_sessions', 'model.p.stg_users'] }),
  node('test.p.not_null_stg_events_id', { test_type: 'generic', test_name: 'not_null', original_file_path: 'models/staging/_models.yml', depends_on: ['model.p.stg_events'] }),
  node('test.p.unique_int_sessions_id', { test_type: 'generic', test_name: 'unique', original_file_path: 'models/intermediate/_models.yml', depends_on: ['model.p.int_sessions'] }),
  node('test.p.relationships_user_sessions', { test_type: 'generic', test_name: 'relationships', original_file_path: 'models/marts/_models.yml', depends_on: ['model.p.user_sessions', 'model.p.stg_users'] }),
  node('test.p.assert_positive', { test_type: 'singular', original_file_path: 'tests/assert_positive.sql', depends_on: ['model.p.mart_metrics'] }),
];

const graph: SelectableGraph = {
  nodes: new Map(nodes.map((n) => [n.unique_id, n])),
  parents: (id) => nodes.find((n) => n.unique_id === id)?.depends_on ?? [],
  children: (id) => nodes.filter((n) => n.depends_on.includes(id)).map((n) => n.unique_id),
};

const sel = (select: string[], extra: Parameters<typeof selectNodes>[1] = {}) => [...selectNodes(graph, { select, ...extra })].sort();
const models = (ids: string[]) => ids.filter((i) => !i.startsWith('test.'));

describe('selectNodes', () => {
  it('selects everything but nothing else by default', () => {
    expect(sel([]).length).toBe(nodes.length);
  });

  it('selects by name, with tests attached eagerly', () => {
    expect(sel(['stg_events'])).toEqual(['model.p.stg_events', 'test.p.not_null_stg_events_id']);
  });

  it('follows graph operators', () => {
    expect(models(sel(['+int_sessions']))).toEqual(['model.p.int_sessions', 'model.p.stg_events', 'seed.p.raw_events']);
    expect(models(sel(['int_sessions+']))).toEqual(['model.p.int_sessions', 'model.p.mart_metrics', 'model.p.user_sessions']);
    expect(models(sel(['1+int_sessions']))).toEqual(['model.p.int_sessions', 'model.p.stg_events']);
    expect(models(sel(['stg_events+1']))).toEqual(['model.p.int_sessions', 'model.p.stg_events']);
    expect(models(sel(['@int_sessions']))).toEqual([
      'model.p.int_sessions', 'model.p.mart_metrics', 'model.p.stg_events', 'model.p.stg_users', 'model.p.user_sessions', 'seed.p.raw_events', 'source.p.raw.users',
    ]);
  });

  it('compares config.severity ignoring case, as dbt does for that key only', () => {
    const withSeverity = [
      node('test.p.loud', { config: { severity: 'ERROR', materialized: 'test' } }),
      node('test.p.quiet', { config: { severity: 'warn', materialized: 'test' } }),
      node('model.p.m', { config: { materialized: 'Table' } }),
    ];
    const g: SelectableGraph = { nodes: new Map(withSeverity.map((n) => [n.unique_id, n])), parents: () => [], children: () => [] };
    const pick = (select: string) => [...selectNodes(g, { select: [select] })].sort();
    expect(pick('config.severity:error')).toEqual(['test.p.loud']);
    expect(pick('config.severity:WARN')).toEqual(['test.p.quiet']);
    expect(pick('config.materialized:table')).toEqual([]);
  });

  it('selects by methods', () => {
    expect(models(sel(['tag:marts']))).toEqual(['model.p.mart_metrics', 'model.p.user_sessions']);
    expect(models(sel(['tag:night*']))).toEqual(['model.p.stg_events']);
    expect(models(sel(['path:models/staging']))).toEqual(['model.p.stg_events', 'model.p.stg_users', 'source.p.raw.users']);
    expect(models(sel(['models/marts/user_sessions.sql']))).toEqual(['model.p.user_sessions']);
    // dbt's default method for a bare `.sql`/`.py`/`.csv` name is `file:` (its base name, any folder).
    expect(models(sel(['user_sessions.sql']))).toEqual(['model.p.user_sessions']);
    expect(models(sel(['config.materialized:table']))).toEqual(['model.p.int_sessions', 'model.p.mart_metrics', 'model.p.user_sessions']);
    expect(models(sel(['config.meta.owner:ana']))).toEqual(['model.p.int_sessions']);
    expect(sel(['resource_type:seed'])).toEqual(['seed.p.raw_events']);
    expect(models(sel(['source:raw+']))).toEqual(['model.p.stg_users', 'model.p.user_sessions', 'source.p.raw.users']);
    expect(sel(['source:raw.users'])).toEqual(['source.p.raw.users']);
    expect(models(sel(['p.staging']))).toEqual(['model.p.stg_events', 'model.p.stg_users']);
    expect(models(sel(['stg_*']))).toEqual(['model.p.stg_events', 'model.p.stg_users']);
    expect(sel(['test_type:singular'])).toEqual(['test.p.assert_positive']);
    expect(sel(['test_name:unique'])).toEqual(['test.p.unique_int_sessions_id']);
    expect(sel(['package:p']).length).toBe(nodes.length);
  });

  it('unions words and spaces, intersects commas', () => {
    expect(models(sel(['tag:staging tag:marts']))).toEqual(['model.p.mart_metrics', 'model.p.stg_events', 'model.p.stg_users', 'model.p.user_sessions']);
    expect(models(sel(['tag:staging', 'int_sessions']))).toEqual(['model.p.int_sessions', 'model.p.stg_events', 'model.p.stg_users']);
    expect(models(sel(['tag:marts,config.materialized:table,+user_sessions']))).toEqual(['model.p.user_sessions']);
  });

  it('excludes nodes and the tests attached to them', () => {
    const ids = sel(['tag:marts'], { exclude: ['mart_metrics'] });
    expect(ids).toEqual(['model.p.user_sessions', 'test.p.relationships_user_sessions']);
  });

  it('applies indirect selection modes', () => {
    expect(sel(['user_sessions'], { indirectSelection: 'eager' })).toContain('test.p.relationships_user_sessions');
    expect(sel(['user_sessions'], { indirectSelection: 'cautious' })).toEqual(['model.p.user_sessions']);
    expect(sel(['user_sessions', 'stg_users'], { indirectSelection: 'cautious' })).toContain('test.p.relationships_user_sessions');
    // buildable: every parent is selected or an ancestor of a selected node (stg_users feeds user_sessions).
    expect(sel(['user_sessions'], { indirectSelection: 'buildable' })).toContain('test.p.relationships_user_sessions');
    expect(sel(['stg_users'], { indirectSelection: 'buildable' })).toEqual(['model.p.stg_users']);
    expect(sel(['stg_users'], { indirectSelection: 'eager' })).toContain('test.p.relationships_user_sessions');
    expect(sel(['stg_events'], { indirectSelection: 'empty' })).toEqual(['model.p.stg_events']);
  });

  it("buildable counts every source as buildable, as dbt's selector does (a source feeds nothing selected)", () => {
    // A singular test reading stg_events and the source raw.users, which is no ancestor of stg_events.
    const crossTest = node('test.p.events_vs_users', { test_type: 'singular', original_file_path: 'tests/events_vs_users.sql', depends_on: ['model.p.stg_events', 'source.p.raw.users'] });
    const withCross = [...nodes, crossTest];
    const g: SelectableGraph = {
      nodes: new Map(withCross.map((n) => [n.unique_id, n])),
      parents: (id) => withCross.find((n) => n.unique_id === id)?.depends_on ?? [],
      children: (id) => withCross.filter((n) => n.depends_on.includes(id)).map((n) => n.unique_id),
    };
    expect([...selectNodes(g, { select: ['stg_events'], indirectSelection: 'buildable' })].sort()).toEqual(['model.p.stg_events', 'test.p.events_vs_users', 'test.p.not_null_stg_events_id']);
    expect([...selectNodes(g, { select: ['stg_events'], indirectSelection: 'cautious' })].sort()).toEqual(['model.p.stg_events', 'test.p.not_null_stg_events_id']);
  });

  it("intersects a node's tests with a test method, as dbt takes them at the criterion (eager)", () => {
    expect(sel(['stg_events,test_type:generic'])).toEqual(['test.p.not_null_stg_events_id']);
    expect(sel(['user_sessions,test_name:relationships'])).toEqual(['test.p.relationships_user_sessions']);
    expect(sel(['mart_metrics,test_type:singular'])).toEqual(['test.p.assert_positive']);
    // cautious: the relationships test needs stg_users too, so it waits and the intersection is empty.
    expect(sel(['user_sessions,test_name:relationships'], { indirectSelection: 'cautious' })).toEqual([]);
  });

  it('filters by resource type', () => {
    expect(sel(['+mart_metrics'], { resourceTypes: ['model'] })).toEqual(['model.p.int_sessions', 'model.p.mart_metrics', 'model.p.stg_events']);
  });

  it('rejects unknown methods and unsupported ones clearly', () => {
    expect(() => sel(['colour:red'])).toThrow(/unknown selection method 'colour'/);
    expect(() => sel(['state:modified'])).toThrow(TsdbtError);
  });
});

describe('selectors.yml', () => {
  const yaml = [
    'selectors:',
    '  - name: marts_only',
    '    definition: tag:marts',
    '  - name: staging_and_up',
    '    default: true',
    '    definition:',
    '      union:',
    '        - method: tag',
    '          value: staging',
    '          children: true',
    '        - exclude:',
    '            - method: fqn',
    '              value: user_sessions',
    '  - name: nested',
    '    definition:',
    '      intersection:',
    '        - method: selector',
    '          value: staging_and_up',
    '        - config.materialized:table',
    '',
  ].join('\n');
  const selectors = parseSelectorsYaml(yaml, 'selectors.yml');

  it('evaluates named selectors, defaults and references', () => {
    expect(models([...selectNodes(graph, { selector: 'marts_only' }, selectors)].sort())).toEqual(['model.p.mart_metrics', 'model.p.user_sessions']);
    expect(models([...selectNodes(graph, {}, selectors)].sort())).toEqual(['model.p.int_sessions', 'model.p.mart_metrics', 'model.p.stg_events', 'model.p.stg_users']);
    expect(models([...selectNodes(graph, { selector: 'nested' }, selectors)].sort())).toEqual(['model.p.int_sessions', 'model.p.mart_metrics']);
  });

  it('reads the one-key shorthand `- tag: value` as method and value, as dbt does', () => {
    const short = parseSelectorsYaml('selectors:\n  - name: s\n    definition:\n      intersection:\n        - tag: staging\n        - fqn: stg_events\n  - name: t\n    definition:\n      tag: marts\n', 'selectors.yml');
    expect([...selectNodes(graph, { selector: 's' }, short)].filter((i) => !i.startsWith('test.'))).toEqual(['model.p.stg_events']);
    expect(models([...selectNodes(graph, { selector: 't' }, short)].sort())).toEqual(['model.p.mart_metrics', 'model.p.user_sessions']);
  });

  it("a lone method dict selects its nodes' tests too, as a CLI string does (dbt incorporates tests at the top)", () => {
    const defs = parseSelectorsYaml('selectors:\n  - name: d\n    definition:\n      method: fqn\n      value: int_sessions\n  - name: s\n    definition: int_sessions\n', 'selectors.yml');
    expect([...selectNodes(graph, { selector: 'd' }, defs)].sort()).toEqual(['model.p.int_sessions', 'test.p.unique_int_sessions_id']);
    expect([...selectNodes(graph, { selector: 's' }, defs)].sort()).toEqual(['model.p.int_sessions', 'test.p.unique_int_sessions_id']);
  });

  it('reports bad definitions with file and line', () => {
    try {
      parseSelectorsYaml('selectors:\n  - name: broken\n    definition:\n      method: tag\n', 'selectors.yml');
      expect.unreachable();
    } catch (err) {
      expect((err as TsdbtError).location).toEqual({ file: 'selectors.yml', line: 3 });
    }
    expect(() => selectNodes(graph, { selector: 'missing' }, selectors)).toThrow(/no selector named 'missing'/);
  });
});
