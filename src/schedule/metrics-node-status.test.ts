// Failing tests on /metrics: every node of the last build with its status (tsdbt_node_status), and
// how many data and unit tests failed or errored in it (tsdbt_tests_failing), both replaced by each
// build, so a test that passes again leaves the failing set.
import { describe, expect, it } from 'vitest';
import type { NodeResult, NodeStatus } from '../manifest/results.js';
import { ScheduleMetrics } from './metrics.js';

const result = (unique_id: string, status: NodeStatus, failures: number | null = null): NodeResult => ({
  unique_id,
  status,
  timing: [],
  thread_id: 'Thread-1',
  execution_time: 0.5,
  adapter_response: {},
  message: null,
  failures,
});

const lines = async (metrics: ScheduleMetrics) => (await metrics.registry.metrics()).split('\n');

describe('ScheduleMetrics: node statuses and failing tests', () => {
  it('has no failing-tests count before a build (a 0 would read as passing tests)', async () => {
    const metrics = new ScheduleMetrics();
    metrics.recordRun('r0', 'skipped', 0, new Date(0), []);
    expect((await lines(metrics)).filter((l) => l.startsWith('tsdbt_tests_failing'))).toEqual([]);
  });

  it('counts the tests that failed or errored, lists every node with its status, and forgets the previous build', async () => {
    const metrics = new ScheduleMetrics();
    metrics.recordRun('r1', 'error', 3, new Date(1_000), [
      result('model.demo.sessions', 'success'),
      result('test.demo.not_null_sessions_id.abc', 'fail', 2),
      result('test.demo.reasonable_page_views', 'warn', 1),
      result('unit_test.demo.sessions.splits_on_gap', 'error'),
      result('test.demo.unique_sessions_id.def', 'pass', 0),
      result('model.demo.downstream', 'skipped'),
    ]);
    let text = await lines(metrics);
    expect(text).toContain('tsdbt_tests_failing 2');
    for (const line of [
      'tsdbt_node_status{node="model.demo.sessions",status="success"} 1',
      'tsdbt_node_status{node="test.demo.not_null_sessions_id.abc",status="fail"} 1',
      'tsdbt_node_status{node="test.demo.reasonable_page_views",status="warn"} 1',
      'tsdbt_node_status{node="unit_test.demo.sessions.splits_on_gap",status="error"} 1',
      'tsdbt_node_status{node="test.demo.unique_sessions_id.def",status="pass"} 1',
      'tsdbt_node_status{node="model.demo.downstream",status="skipped"} 1',
    ]) {
      expect(text).toContain(line);
    }
    // The next build: everything passes. The failures of the previous one are gone.
    metrics.recordRun('r2', 'success', 3, new Date(2_000), [
      result('model.demo.sessions', 'success'),
      result('test.demo.not_null_sessions_id.abc', 'pass', 0),
      result('unit_test.demo.sessions.splits_on_gap', 'pass'),
    ]);
    text = await lines(metrics);
    expect(text).toContain('tsdbt_tests_failing 0');
    expect(text.filter((l) => l.startsWith('tsdbt_node_status{'))).toEqual([
      'tsdbt_node_status{node="model.demo.sessions",status="success"} 1',
      'tsdbt_node_status{node="test.demo.not_null_sessions_id.abc",status="pass"} 1',
      'tsdbt_node_status{node="unit_test.demo.sessions.splits_on_gap",status="pass"} 1',
    ]);
    // A skipped tick builds nothing: the last build's statuses stay.
    metrics.recordRun('r3', 'skipped', 0, new Date(3_000), []);
    expect(await lines(metrics)).toContain('tsdbt_tests_failing 0');
  });
});
