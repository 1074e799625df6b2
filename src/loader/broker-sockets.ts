// Opens the client's connections to the brokers (kafkajs' socket factory) and remembers how each
// broker behaved, so a failure can name the host that did not answer: kafkajs reports a request
// that timed out as "Broker not connected", without saying which broker.
import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';
import { FrameAssembler, READ_BUFFER_BYTES } from './socket-frames.js';

type BrokerState = 'connecting' | 'silent' | 'answered' | 'failed';

const KEEP_ALIVE_DELAY_MS = 60_000;

export class BrokerSockets {
  private readonly state = new Map<string, { state: BrokerState; error?: string }>();

  constructor(private readonly timeouts: { connectMs: number; requestMs: number }) {}

  readonly factory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    const broker = `${host}:${port}`;
    // A plain connection reads into one buffer of its own and hands kafkajs whole frames (socket-frames.ts).
    const frames = new FrameAssembler((bytes) => socket.emit('data', bytes));
    const onread = { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), callback: (length: number, buffer: Uint8Array) => (frames.push(buffer, length), true) };
    const socket = ssl ? tls.connect({ host, port, ...(!net.isIP(host) ? { servername: host } : {}), ...ssl }, onConnect) : net.connect({ host, port, onread }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    this.state.set(broker, { state: 'connecting' });
    socket.once(ssl ? 'secureConnect' : 'connect', () => {
      if (this.state.get(broker)?.state === 'connecting') this.state.set(broker, { state: 'silent' });
    });
    socket.on('data', () => this.state.set(broker, { state: 'answered' }));
    socket.once('error', (err: Error) => {
      if (this.state.get(broker)?.state !== 'answered') this.state.set(broker, { state: 'failed', error: err.message });
    });
    return socket;
  };

  /** Why no broker could be used, host by host; null when every broker answered (the failure is elsewhere). */
  explain(): string | null {
    const seconds = (ms: number) => `${ms / 1000} s`;
    const reasons: string[] = [];
    for (const [broker, { state, error }] of this.state) {
      if (state === 'connecting') reasons.push(`Kafka broker ${broker} did not accept a connection within ${seconds(this.timeouts.connectMs)} (connect_timeout)`);
      else if (state === 'silent') reasons.push(`Kafka broker ${broker} accepted the connection but did not answer within ${seconds(this.timeouts.requestMs)} (request_timeout)`);
      else if (state === 'failed') reasons.push(`cannot connect to Kafka broker ${broker}: ${error ?? 'connection failed'}`);
    }
    return reasons.length ? reasons.join('; ') : null;
  }

  /** `err` with the brokers that did not answer named, when some did not. */
  wrap(err: unknown): Error {
    const reason = this.explain();
    if (!reason) return err as Error;
    const original = (err as Error)?.message;
    return new Error(original && !/not connected|timed out|timeout/i.test(original) ? `${reason} (${original})` : reason, { cause: err });
  }
}
