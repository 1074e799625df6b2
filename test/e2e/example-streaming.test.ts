// The README's streaming demo, end to end: `tsdbt produce-sample` writes click events (sessions,
// late and redelivered events) to a topic of the test broker, `tsdbt load --once` feeds the
// example project's Kafka-fed source raw.click_events, and `tsdbt build --vars '{events_from:
// kafka}'` builds the marts from it. The sessions must equal the TypeScript oracle computed from
// the produced events (test/support/sessionize.ts), on the PostgreSQL server and on PGlite.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { loadCommand } from '../../src/app/load-command.js';
import { produceSampleCommand } from '../../src/app/produce-sample-command.js';
import { sampleEvents } from '../../src/loader/sample-events.js';
import { readSessionMetrics } from '../support/example-project.js';
import { dedupeEvents, sessionize } from '../support/sessionize.js';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const brokers = inject('kafkaBrokers').split(',');
const START = new Date('2024-05-01T08:00:00Z');
const EVENTS = 3_000;
const SEED = 7;

describe.each(WAREHOUSES)('the streaming demo on %s', (kind) => {
  const topic = `session_events_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(kind, {}, { example: true });
    const sources = readFileSync(path.join(p.dir, 'models/staging/_sources.yml'), 'utf8');
    p.write('models/staging/_sources.yml', sources.replace('topic: session_events', `topic: ${topic}`));
  });
  afterAll(() => p.cleanup());

  it('produces, loads once, and builds sessions equal to the oracle', async () => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: p.dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    expect(await produceSampleCommand(inv.logger, { topic, events: EVENTS, seed: SEED, brokers, start: START })).toBe(0);
    const produced = sampleEvents({ events: EVENTS, seed: SEED, start: START });
    const distinct = new Set(produced.map((e) => e.event_id)).size;
    expect(produced.length).toBeGreaterThan(distinct); // some events were delivered twice
    expect(lines.join('\n')).toMatch(new RegExp(`Produced ${produced.length} messages \\(${distinct} distinct events, ${produced.length - distinct} redelivered\\) to topic ${topic}`));

    expect(await loadCommand(inv, { once: true, brokers: brokers.join(','), progressInterval: 0 }), lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toMatch(new RegExp(`load source raw\\.click_events from topic ${topic} \\.+ \\[LOADED ${distinct}, ${produced.length - distinct} duplicates?, 0 dead letters in`));

    const build = await p.run('build', { vars: '{events_from: kafka}' });
    expect(build.code, build.output).toBe(0);
    const oracle = sessionize(dedupeEvents(produced.map((e) => ({ ...e, received_at: '2024-05-01 00:00:00' }))), { timeoutMinutes: 30 });
    const sessions = await readSessionMetrics((sql) => p.sql(sql), p.schema);
    expect(sessions.length).toBe(oracle.length);
    expect(sessions.length).toBeGreaterThan(50);
    for (let i = 0; i < sessions.length; i++) expect(sessions[i], `session ${i}`).toEqual(oracle[i]);
  }, 180_000);
});
