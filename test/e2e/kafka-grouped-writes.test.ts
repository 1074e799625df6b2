// `tsdbt load --once` writing several partitions' batches in one transaction (loader/write-groups.ts)
// into the PostgreSQL server, killed (SIGKILL) after its n-th warehouse statement, for n across the
// writes of a run. One write slot (threads: 1) and 4 partitions whose batches come due at their end
// offsets: while one write runs the others wait, and go together in the next. After every kill the
// table holds exactly the messages below the stored positions (all partitions of a write commit
// together or not at all); at the end every message is there once, at its offset, and the runs'
// --debug output shows writes of several partitions.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, kafkaSourceYaml, testKafka } from '../support/kafka.js';
import { expectedBelow as expectedRows, loadedState } from '../support/loaded-offsets.js';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const PARTITIONS = 4;

describe('kill -9 of tsdbt load while it writes several partitions in one transaction (PostgreSQL server)', () => {
  const topic = `grouped_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  /** event_id -> where the broker put it: `partition/offset`. */
  const oracle = new Map<string, string>();
  let counter = 0;
  beforeAll(() => {
    p = warehouseProject('server', {}, { target: { threads: 1 } });
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id, batch_size: 5000, batch_ms: 60000}`, [['event_id', 'text'], ['n', 'integer']]));
  });
  afterAll(() => p.cleanup());

  /** `count` messages to every partition, their places recorded in the oracle. */
  const produce = async (count: number) => {
    const sent = Array.from({ length: PARTITIONS * count }, () => {
      const n = counter++;
      return { partition: n % PARTITIONS, key: `e${n}`, value: JSON.stringify({ event_id: `e${n}`, n }) };
    });
    const producer = testKafka('test-grouped').producer();
    await producer.connect();
    try {
      for (const m of await producer.send({ topic, messages: sent })) {
        const base = Number(m.baseOffset);
        sent.filter((s) => s.partition === m.partition).forEach((s, i) => oracle.set(s.key, `${m.partition}/${base + i}`));
      }
    } finally {
      await producer.disconnect();
    }
  };

  const state = () => loadedState(p);
  const expectedBelow = (positions: Map<number, number>) => expectedRows(oracle, positions);

  /** Runs the loader, killed by itself after its `kill`-th warehouse statement (none: to the end). */
  const run = (kill?: number) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => {
      const args = cliArgs(['load', '--once', '--debug', '--progress-interval', '0', '--brokers', brokers, '--project-dir', p.dir, '--profiles-dir', p.dir]);
      const env = { ...process.env, ...(kill ? { TSDBT_TEST_KILL_AFTER_STATEMENT: String(kill) } : {}) };
      const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('exit', (code, signal) => resolve({ code, signal, output }));
    });

  it('keeps exactly the messages below the stored positions at every kill, and all of them once at the end', async () => {
    let grouped = 0;
    let killedMidLoad = 0;
    for (const kill of [9, 11, 13, 15, 17, 19]) {
      await produce(50);
      const before = await state();
      const { signal, output } = await run(kill);
      grouped += (output.match(/: one write of \d+ messages of partitions \d+(, \d+)+/g) ?? []).length;
      const now = await state();
      if (signal === 'SIGKILL' && now.rows.length < oracle.size) killedMidLoad++;
      expect(now.rows.length).toBeGreaterThanOrEqual(before.rows.length);
      // A write's partitions commit together: exactly the messages below the positions, whatever the kill point.
      expect(now.rows).toEqual(expectedBelow(now.positions));
    }
    expect(killedMidLoad, 'runs killed with work left').toBeGreaterThanOrEqual(3);
    const final = await run();
    expect(final.code, final.output).toBe(0);
    grouped += (final.output.match(/: one write of \d+ messages of partitions \d+(, \d+)+/g) ?? []).length;
    expect(grouped, 'writes of several partitions in the runs').toBeGreaterThan(0);
    const end = await state();
    expect(end.rows).toEqual([...oracle.entries()].map(([key, at]) => `${at} ${key}`).sort());
    expect(Object.fromEntries(end.positions)).toEqual(Object.fromEntries(Array.from({ length: PARTITIONS }, (_v, i) => [i, [...oracle.values()].filter((at) => at.startsWith(`${i}/`)).length])));
  }, 300_000);
});
