// A Kafka broker that accepts connections and never answers (a local TCP server on port 0): the
// loader gives up after the profile's request_timeout and says which broker did not answer, instead
// of hanging or failing with kafkajs' "Broker not connected".
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { loadCommand } from '../../src/app/load-command.js';
import { kafkaConnectionFrom } from '../../src/loader/kafka-connection.js';
import { kafkaSourceYaml } from '../support/kafka.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('a Kafka broker that never answers', () => {
  let server: net.Server;
  const sockets: net.Socket[] = [];
  let broker = '';
  let p: WarehouseProject;
  beforeAll(async () => {
    server = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    broker = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    p = warehouseProject('pglite', {}, { target: { kafka: { connect_timeout: 1, request_timeout: 1 } } });
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, '{topic: silent, key: event_id}', [['event_id', 'text']]));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    await p.cleanup();
  });

  it('fails the load after request_timeout, naming the broker that did not answer', async () => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: p.dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir, NO_COLOR: '1' } });
    const code = await loadCommand(inv, { once: true, brokers: broker, progressInterval: 0 });
    const output = lines.join('\n');
    expect(code, output).toBe(1);
    expect(sockets.length).toBeGreaterThan(0); // it did connect: the broker accepted, then stayed silent
    expect(output).toContain(`cannot read topic 'silent' from Kafka at ${broker}: Kafka broker ${broker} accepted the connection but did not answer within 1 s (request_timeout)`);
    expect(output).not.toMatch(/Broker not connected|\n\s+at /);
  }, 300_000);
});

describe('the Kafka timeouts of a profile target', () => {
  it('are read in seconds, and default to the client defaults when absent', () => {
    expect(kafkaConnectionFrom({ brokers: ['h:9092'], connect_timeout: 2, request_timeout: 0.5 }, undefined, {})).toMatchObject({ connectTimeoutMs: 2000, requestTimeoutMs: 500 });
    expect(kafkaConnectionFrom({ brokers: ['h:9092'] }, undefined, {})).not.toHaveProperty('requestTimeoutMs');
    expect(() => kafkaConnectionFrom({ brokers: ['h:9092'], request_timeout: 'soon' }, undefined, {})).toThrow(/request_timeout must be a positive number of seconds, got 'soon'/);
  });
});
