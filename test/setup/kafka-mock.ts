// Starts librdkafka's mock cluster (test/setup/kafka-mock.c, compiled once into test/.tmp/) as the
// Kafka broker of the loader tests: real Kafka protocol, brokers in a child process, no server to
// install. The process lives as long as its stdin is open, so it ends with the test run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = path.join(here, 'kafka-mock.c');
const BINARY = path.join(here, '..', '.tmp', 'kafka-mock');

function compile(): void {
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs) return;
  mkdirSync(path.dirname(BINARY), { recursive: true });
  try {
    execFileSync('cc', [SOURCE, '-o', BINARY, '-lrdkafka'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
    throw new Error(`cannot compile the Kafka mock cluster (needs librdkafka-dev and a C compiler: run scripts/test-services.sh as root): ${stderr}`);
  }
}

let child: ChildProcess | null = null;

/** Starts the mock cluster and returns its bootstrap servers (`host:port,host:port,...`). */
export async function startKafkaMock(brokers = 3): Promise<string> {
  compile();
  child = spawn(BINARY, [String(brokers)], { stdio: ['pipe', 'pipe', 'ignore'] });
  const proc = child;
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the Kafka mock cluster printed no bootstrap servers within 10 s')), 10_000);
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => /^[\w.-]+:\d+(,[\w.-]+:\d+)*$/.test(l.trim()));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    proc.once('exit', (code) => reject(new Error(`the Kafka mock cluster exited (${String(code)})`)));
  });
}

/** Creates a topic with `partitions` partitions on the running mock cluster. */
export async function createMockTopic(topic: string, partitions: number): Promise<void> {
  const proc = child;
  if (!proc?.stdin || !proc.stdout) throw new Error('the Kafka mock cluster is not running');
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes(`created ${topic}`)) done(null);
      else if (text.includes(`error ${topic}`)) done(new Error(`the mock cluster could not create topic ${topic}`));
    };
    const done = (err: Error | null) => {
      proc.stdout?.off('data', onData);
      if (err) reject(err);
      else resolve();
    };
    proc.stdout?.on('data', onData);
    proc.stdin?.write(`${topic} ${partitions}\n`);
  });
}

/** The mock cluster's process id (its CPU time is read by the loader bench), or null when it is not running. */
export function kafkaMockPid(): number | null {
  return child?.pid ?? null;
}

export function stopKafkaMock(): void {
  child?.stdin?.end();
  child?.kill();
  child = null;
}
