// What the loader tests share: producing to the test set-up's Kafka (librdkafka's mock cluster),
// reading a topic's watermarks, a project whose source is fed from a topic, and `tsdbt load --once`
// in this process.
import { Kafka, logLevel, type Message } from 'kafkajs';
import { inject } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { loadCommand } from '../../src/app/load-command.js';
import type { WarehouseProject } from './warehouse-project.js';

export const brokers = inject('kafkaBrokers');

export const testKafka = (clientId = 'test-client') => new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING });

export async function produce(topic: string, messages: Message[]): Promise<void> {
  const producer = testKafka('test-producer').producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Each partition's [low, high) as the brokers report it. */
export async function topicRange(topic: string): Promise<Map<number, { low: number; high: number }>> {
  const admin = testKafka('test-admin').admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((w) => [w.partition, { low: Number(w.low), high: Number(w.high) }]));
  } finally {
    await admin.disconnect();
  }
}

/** models/sources.yml declaring raw.events (in `<schema>_raw`), fed from Kafka with `kafka` as meta.kafka. */
export const kafkaSourceYaml = (schema: string, kafka: string, columns: [string, string][]) =>
  `version: 2\nsources:\n  - name: raw\n    schema: ${schema}_raw\n    tables:\n      - name: events\n        meta:\n          kafka: ${kafka}\n        columns:\n${columns.map(([name, type]) => `          - {name: ${name}, data_type: "${type}"}`).join('\n')}\n`;

/** `tsdbt load --once` in this process: its exit code and output. */
export async function loadOnce(p: WarehouseProject, extraEnv: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const inv = createInvocation({ projectDir: p.dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir, NO_COLOR: '1', ...extraEnv } });
  const code = await loadCommand(inv, { once: true, brokers, progressInterval: 0 });
  return { code, output: lines.join('\n') };
}
