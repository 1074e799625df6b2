// The client's second SCRAM-SHA-256 message (RFC 5802, RFC 7677) computed at once with node:crypto.
// pg computes it with Web Crypto: seven awaited operations, each a job on libuv's pool whose answer
// waits for the main thread's next turn, and the first one loads Node's webcrypto modules (~4 ms of
// CPU). `tsdbt run` logs in while it loads the project (app/early-adapter.ts), so each of those
// turns came after one of the load's steps, and the first statement waited for the login (issue 18).
// Same checks as pg's `continueSession` (pg/lib/crypto/sasl.js); what it does not cover (channel
// binding, an iteration count above SYNC_ITERATIONS, a password that is not a string) is left to pg.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';

/** pg's SASL session (Client.saslSession) as its startSession leaves it. */
export interface ScramSession {
  mechanism: string;
  clientNonce: string;
  /** The client's first message: the GS2 header, `,,n=*,r=` and the client nonce. */
  response: string;
  message: string;
  scramMaxIterations?: number;
  serverSignature?: string;
}

/** What pg's client holds during its login (private members of pg.Client). */
interface LoggingInClient {
  saslSession: ScramSession | null;
  password: unknown;
  connection: { sendSCRAMClientFinalMessage(text: string): void; emit(event: 'error', err: unknown): boolean };
}

/** pg's default limit on the server's iteration count (DEFAULT_MAX_SCRAM_ITERATIONS). */
const MAX_ITERATIONS = 100_000;
/** Up to this count the key is derived on the main thread (~1 ms at PostgreSQL's default 4096); above, pg's pooled job. */
export const SYNC_ITERATIONS = 16_384;

/** RFC 4013's changes of the password's bytes, as pg's `saslprep`: non-ASCII spaces, characters mapped to nothing, NFKC. */
function saslprep(password: string): string {
  return password.replace(/[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g, ' ').replace(/[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g, '').normalize('NFKC');
}

const BASE64 = /^(?:[a-zA-Z0-9+/]{4})*(?:[a-zA-Z0-9+/]{2}==|[a-zA-Z0-9+/]{3}=)?$/;
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;

/** The server's first message's nonce, salt and iteration count, checked as pg checks them. */
function serverFirst(data: string): { nonce: string; salt: string; iterations: number } {
  const pairs = new Map<string, string>();
  for (const pair of data.split(',')) {
    if (!/^.=/.test(pair)) throw new Error('SASL: Invalid attribute pair entry');
    pairs.set(pair[0] as string, pair.slice(2));
  }
  const nonce = pairs.get('r');
  if (!nonce) throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: nonce missing');
  if (!PRINTABLE.test(nonce)) throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: nonce must only contain printable characters');
  const salt = pairs.get('s');
  if (!salt) throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: salt missing');
  if (!BASE64.test(salt)) throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: salt must be base64');
  const iterations = pairs.get('i');
  if (!iterations) throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: iteration missing');
  if (!/^[1-9][0-9]*$/.test(iterations)) throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: invalid iteration count');
  return { nonce, salt, iterations: Number.parseInt(iterations, 10) };
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/**
 * The client-final message (`c=...,r=...,p=<proof>`) and the server signature the server's final
 * message must carry, for `session` (SCRAM-SHA-256 without channel binding) and the server's first
 * message; null where pg's own step is to be taken instead.
 */
export function scramClientFinal(session: ScramSession, password: string, data: string): { response: string; serverSignature: string } | null {
  const gs2 = /^([ny]),,n=\*,r=/.exec(session.response)?.[1];
  if (session.mechanism !== 'SCRAM-SHA-256' || session.message !== 'SASLInitialResponse' || gs2 === undefined || password === '') return null;
  const { nonce, salt, iterations } = serverFirst(data);
  if (!nonce.startsWith(session.clientNonce)) throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: server nonce does not start with client nonce');
  if (nonce.length === session.clientNonce.length) throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: server nonce is too short');
  const limit = typeof session.scramMaxIterations === 'number' ? session.scramMaxIterations : MAX_ITERATIONS;
  if (limit !== 0 && iterations > limit) throw new Error(`SASL: SCRAM-SERVER-FIRST-MESSAGE: iteration count ${iterations} exceeds scramMaxIterations of ${limit}`);
  if (iterations > SYNC_ITERATIONS) return null;
  const withoutProof = `c=${Buffer.from(`${gs2},,`).toString('base64')},r=${nonce}`;
  const authMessage = `n=*,r=${session.clientNonce},r=${nonce},s=${salt},i=${iterations},${withoutProof}`;
  const salted = pbkdf2Sync(saslprep(password), Buffer.from(salt, 'base64'), iterations, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  const signature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
  const proof = Buffer.alloc(clientKey.length);
  for (let i = 0; i < proof.length; i++) proof[i] = (clientKey[i] as number) ^ (signature[i] as number);
  return { response: `${withoutProof},p=${proof.toString('base64')}`, serverSignature: hmac(hmac(salted, 'Server Key'), authMessage).toString('base64') };
}

/**
 * pg.Client's handler of the server's first SCRAM message (`_handleAuthSASLContinue`), answering in
 * the same turn; `fallback` is pg's own handler, for what scramClientFinal leaves to it. pg's
 * `finalizeSession` then checks the server's signature against the one recorded here.
 */
export function continueScram(client: LoggingInClient, data: string, fallback: () => unknown): unknown {
  const session = client.saslSession;
  if (!session || typeof client.password !== 'string') return fallback();
  let final: ReturnType<typeof scramClientFinal>;
  try {
    final = scramClientFinal(session, client.password, data);
  } catch (err) {
    client.connection.emit('error', err);
    return undefined;
  }
  if (!final) return fallback();
  session.message = 'SASLResponse';
  session.serverSignature = final.serverSignature;
  session.response = final.response;
  client.connection.sendSCRAMClientFinalMessage(final.response);
  return undefined;
}
