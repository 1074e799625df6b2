// dbt's structured logs (docs: reference/events-logging, "Structured logging"), as tools that read
// them (dagster-dbt reads info.name and data.node_info of LogModelResult / LogTestResult; log
// shippers read info.code and info.level) find them: every line `{"data", "info"}`; a node's
// lines (LogStartLine, its result line, the debug NodeStart / NodeFinished, its statements) carry
// dbt's node_info with the node's status and times; the closing summary's RunResultFailure /
// RunResultError name the failed node and its group; `--log-format json` alone makes dbt.log JSON
// too, as dbt's --log-format leads --log-format-file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PGLITE_PROFILES } from '../support/parse-files.js';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { jsonLogEvents, type JsonLogEvent } from '../support/json-log.js';
import type { NodeInfo } from '../../src/app/node-log-info.js';

const SCHEMA_YML = `
groups:
  - name: finance
    owner:
      name: Ana
      email: [ana@example.com, ops@example.com]
models:
  - name: orders
    group: finance
    columns:
      - name: amount
        data_tests: [not_null]
`;

const nodeInfo = (e: JsonLogEvent | undefined): NodeInfo | undefined => e?.data.node_info as NodeInfo | undefined;
const TEST_ID = 'test.demo.not_null_orders_amount.106140f9fd';
const GROUP = { name: 'finance', package_name: 'demo', owner: { name: 'Ana', email: "['ana@example.com', 'ops@example.com']" } };

describe("--log-format json lines in dbt's shape", () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'profiles.yml': PGLITE_PROFILES,
    'models/orders.sql': "{{ config(materialized='table', meta={'owner': 'ana', 'tier': 1}) }}\n{{ log('rendering orders', info=True) }}{{ log('orders in debug') }}\nselect 1 as id, null::int as amount\n",
    'models/schema.yml': SCHEMA_YML,
  });
  afterAll(() => removeDir(dir));
  let events: JsonLogEvent[] = [];
  let stdout = '';

  it('build: every line has info and data; the model and the failing test have their result events with node_info', async () => {
    const result = await runTsdbt(['build', '--project-dir', dir, '--profiles-dir', dir, '--log-format', 'json', '--threads', '1']);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    stdout = result.stdout;
    for (const line of stdout.trim().split('\n')) {
      const parsed = JSON.parse(line) as Record<string, Record<string, unknown>>;
      expect(Object.keys(parsed)).toEqual(['data', 'info']);
      expect(Object.keys(parsed.info as object)).toEqual(['category', 'code', 'extra', 'invocation_id', 'level', 'msg', 'name', 'pid', 'thread', 'ts']);
    }
    events = jsonLogEvents(stdout);

    const start = events.find((e) => e.name === 'LogStartLine' && nodeInfo(e)?.unique_id === 'model.demo.orders');
    expect(start?.code).toBe('Q011');
    expect(start?.data).toMatchObject({ index: 1, total: 2 });
    expect(start?.data.description).toBe('sql table model main.orders');
    expect(nodeInfo(start)).toMatchObject({ node_status: 'started', node_finished_at: '' });

    const model = events.find((e) => e.name === 'LogModelResult');
    expect(model?.code).toBe('Q012');
    expect(model?.data).toMatchObject({ status: 'SELECT 1', index: 1, total: 2, group: GROUP });
    const info = nodeInfo(model);
    expect(info).toMatchObject({
      node_path: 'orders.sql',
      node_name: 'orders',
      unique_id: 'model.demo.orders',
      resource_type: 'model',
      materialized: 'table',
      node_status: 'success',
      meta: { owner: 'ana', tier: 1 },
      node_relation: { schema: 'main', alias: 'orders' },
    });
    expect(info?.node_relation.relation_name).toMatch(/"main"\."orders"$/);
    expect(info?.node_checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(`${info?.node_finished_at}Z`)).toBeGreaterThanOrEqual(Date.parse(`${info?.node_started_at}Z`));

    const test = events.find((e) => e.name === 'LogTestResult');
    expect(test?.code).toBe('Q007');
    expect(test?.data).toMatchObject({ name: 'not_null_orders_amount', status: 'fail', num_failures: 1, num_models: 2, attached_node: 'model.demo.orders', group: GROUP });
    // dbt's LogTestResult.status_to_level: a failed test's line is an error; the model's, which passed, info.
    expect([model?.level, test?.level]).toEqual(['info', 'error']);
    expect(nodeInfo(test)).toMatchObject({ unique_id: TEST_ID, resource_type: 'test', node_status: 'fail', materialized: 'test' });
  });

  it("the summary's failure events name the failed test, its node_info and group; StatsLine has dbt's stats", () => {
    const failure = events.find((e) => e.name === 'RunResultFailure');
    expect(failure?.code).toBe('Z022');
    // dbt's RunResultFailure and RunResultError are ErrorLevel events.
    expect(failure?.level).toBe('error');
    expect(events.filter((e) => e.name === 'RunResultError').map((e) => e.level)).toEqual(['error']);
    expect(failure?.data).toMatchObject({ resource_type: 'test', node_name: 'not_null_orders_amount', path: 'models/schema.yml', group: GROUP });
    expect(nodeInfo(failure)?.unique_id).toBe(TEST_ID);
    const error = events.find((e) => e.name === 'RunResultError');
    expect(error?.data).toMatchObject({ msg: 'Got 1 result, configured to fail if != 0', group: GROUP });
    expect(nodeInfo(error)?.unique_id).toBe(TEST_ID);
    expect(events.find((e) => e.name === 'EndOfRunSummary')?.data).toEqual({ num_errors: 1, num_warnings: 0, keyboard_interrupt: false, num_partial_success: 0 });
    expect(events.at(-1)).toMatchObject({ name: 'StatsLine', code: 'Z023', data: { stats: { error: 1, skip: 0, pass: 1, warn: 0, noop: 0, total: 2 } } });
    expect(events.filter((e) => e.name === 'Formatting').every((e) => e.msg === '' && e.data.msg === '')).toBe(true);
    // dbt's execute_with_hooks: a blank line before and after the ConcurrencyLine.
    const concurrency = events.findIndex((e) => e.name === 'ConcurrencyLine');
    expect([events[concurrency - 1]?.name, events[concurrency + 1]?.name]).toEqual(['Formatting', 'Formatting']);
  });

  it("a template's log() lines carry the node_info of the node being rendered (JinjaLogInfo, and JinjaLogDebug in dbt.log)", () => {
    // Printed twice, as dbt prints it: when the parse renders the model (no node running: no node_info), then when it runs.
    const infos = events.filter((e) => e.name === 'JinjaLogInfo' && e.msg === 'rendering orders');
    expect(infos).toHaveLength(2);
    expect(nodeInfo(infos[0])?.unique_id).toBeUndefined();
    const info = infos[1];
    expect(info).toMatchObject({ code: 'I062', level: 'info', data: { msg: 'rendering orders' } });
    expect(nodeInfo(info)).toMatchObject({ unique_id: 'model.demo.orders', node_status: 'started' });
    const log = jsonLogEvents(readFileSync(path.join(dir, 'logs', 'dbt.log'), 'utf8'));
    const debug = log.filter((e) => e.name === 'JinjaLogDebug' && e.msg === 'orders in debug').at(-1);
    expect(debug).toMatchObject({ code: 'I063', level: 'debug' });
    expect(nodeInfo(debug)?.unique_id).toBe('model.demo.orders');
  });

  it('dbt.log is JSON too: NodeStart and NodeFinished (with the run result) around each node, its statements carrying its node_info', () => {
    const log = jsonLogEvents(readFileSync(path.join(dir, 'logs', 'dbt.log'), 'utf8'));
    const started = log.findIndex((e) => e.name === 'NodeStart' && nodeInfo(e)?.unique_id === 'model.demo.orders');
    const finished = log.findIndex((e) => e.name === 'NodeFinished' && nodeInfo(e)?.unique_id === 'model.demo.orders');
    expect(started).toBeGreaterThan(-1);
    expect(finished).toBeGreaterThan(started);
    expect(log[started]).toMatchObject({ code: 'Q024', level: 'debug', thread: 'Thread-1 (worker)' });
    expect(log[finished]?.data.run_result).toMatchObject({ status: 'success', adapter_response: { _message: 'SELECT 1' } });
    const statements = log.slice(started, finished).filter((e) => e.name === 'SQLQuery');
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.map((e) => [e.code, nodeInfo(e)?.unique_id, e.thread])).toEqual(statements.map(() => ['E016', 'model.demo.orders', 'Thread-1 (worker)']));
    // NodeStart / NodeFinished are JSON-only: tsdbt's text lines stay as they were.
    expect(stdout).not.toContain('Began running node');
  });
});
