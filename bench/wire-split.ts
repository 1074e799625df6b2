// Where a build's time goes on the wire: a proxy between a client and the PostgreSQL server that
// counts the round trips of each session (a ReadyForQuery ends one) and splits its time into the
// server's part (from the first message of a round trip to its ReadyForQuery) and the client's part
// (from a ReadyForQuery to the next round trip's first message), and when the first round trip
// after the login began. bench/build.ts runs each side once more through it, unmeasured, and
// prints round trips per node and the split. Only plain-text sessions are read: the client must
// not ask for TLS or GSS encryption (PGSSLMODE=disable, PGGSSENCMODE=disable for psql).
import net from 'node:net';

/** One session's round trips, as seen at the proxy. */
export interface WireSession {
  /** Round trips after the login (the login's own exchange is not counted). */
  roundTrips: number;
  /** Milliseconds the server had a round trip (first message to ReadyForQuery), summed. */
  serverMs: number;
  /** Milliseconds between a ReadyForQuery and the client's next message, summed. */
  clientMs: number;
  /** When the session's first round trip after the login began (performance.now()), or null. */
  firstStatementAt: number | null;
}

/** Codes of the start-up requests that the server answers with one byte (SSLRequest, GSSENCRequest). */
const ONE_BYTE_ANSWERS = new Set([80877103, 80877104]);

/** Splits a byte stream into PostgreSQL messages (a type byte, then a length that counts itself). */
class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  constructor(private readonly onMessage: (type: string) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 5) {
      const length = this.pending.readInt32BE(1);
      if (this.pending.length < length + 1) break;
      this.onMessage(String.fromCharCode(this.pending[0] as number));
      this.pending = this.pending.subarray(length + 1);
    }
  }
}

export class WireSplit {
  readonly sessions: WireSession[] = [];
  private server: net.Server | null = null;

  constructor(private readonly target: { host: string; port: number }) {}

  /** Starts listening on a free local port; returns it. */
  async listen(): Promise<number> {
    const server = net.createServer((client) => this.proxy(client));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private proxy(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const session: WireSession = { roundTrips: 0, serverMs: 0, clientMs: 0, firstStatementAt: null };
    this.sessions.push(session);
    let loggedIn = false;
    let tripStart: number | null = null;
    let lastReady: number | null = null;
    // The client's side: start-up packets (no type byte) until the login, then typed messages.
    let startup = true;
    let startupBytes: Buffer = Buffer.alloc(0);
    let oneByteAnswers = 0;
    const fromClient = new MessageReader(() => {
      if (!loggedIn || tripStart !== null) return;
      tripStart = performance.now();
      session.firstStatementAt ??= tripStart;
      if (lastReady !== null) session.clientMs += tripStart - lastReady;
    });
    const fromServer = new MessageReader((type) => {
      if (type !== 'Z') return;
      const now = performance.now();
      if (loggedIn && tripStart !== null) {
        session.roundTrips++;
        session.serverMs += now - tripStart;
      }
      // The login's end starts no client time: what the client does until its first statement is
      // its start-up (`firstStatementAt`), which a login made during the project's load would count.
      lastReady = loggedIn ? now : null;
      loggedIn = true;
      tripStart = null;
    });
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (!startup) return fromClient.push(chunk);
      startupBytes = Buffer.concat([startupBytes, chunk]);
      while (startup && startupBytes.length >= 8) {
        const length = startupBytes.readInt32BE(0);
        if (startupBytes.length < length) break;
        if (ONE_BYTE_ANSWERS.has(startupBytes.readInt32BE(4))) oneByteAnswers++;
        else startup = false;
        const rest = startupBytes.subarray(length);
        startupBytes = Buffer.alloc(0);
        if (!startup && rest.length > 0) fromClient.push(rest);
        else startupBytes = rest;
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      let body = chunk;
      while (oneByteAnswers > 0 && body.length > 0) {
        oneByteAnswers--;
        body = body.subarray(1);
      }
      if (body.length > 0) fromServer.push(body);
    });
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }
}

/** The sessions' round trips and times added up, per node, as one line. */
export function splitText(sessions: WireSession[], nodes: number, startedAt: number): string {
  const sum = (pick: (s: WireSession) => number) => sessions.reduce((total, s) => total + pick(s), 0);
  const firsts = sessions.map((s) => s.firstStatementAt).filter((t): t is number => t !== null);
  const first = firsts.length === 0 ? '?' : `${((Math.min(...firsts) - startedAt) / 1000).toFixed(2)}s`;
  const perNode = (ms: number) => `${(ms / nodes).toFixed(2)} ms`;
  return `${(sum((s) => s.roundTrips) / nodes).toFixed(2)} round trips a node, first statement at ${first}, client ${perNode(sum((s) => s.clientMs))} + server ${perNode(sum((s) => s.serverMs))} a node`;
}
