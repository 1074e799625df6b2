import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { continueScram, scramClientFinal, SYNC_ITERATIONS, type ScramSession } from './postgres-scram.js';

// pg's own SCRAM step (Web Crypto), the reference the synchronous one must match byte for byte.
const require = createRequire(import.meta.url);
const sasl = require('pg/lib/crypto/sasl.js') as {
  startSession(mechanisms: string[], stream?: unknown): ScramSession;
  continueSession(session: ScramSession, password: string, data: string, stream?: unknown): Promise<void>;
};

const serverNonce = (session: ScramSession) => `${session.clientNonce}%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0`;
// RFC 7677's salt and PostgreSQL's default iteration count.
const serverFirstOf = (session: ScramSession, iterations = 4096) => `r=${serverNonce(session)},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=${iterations}`;

describe('scramClientFinal', () => {
  it("computes pg's client-final message and server signature (same proof, same nonce)", async () => {
    for (const password of ['tsdbt', 'pencil', 'p\u00e4ss w\u00f6rd\u00a0\u2163']) {
      const session = sasl.startSession(['SCRAM-SHA-256']);
      const data = serverFirstOf(session);
      const ours = scramClientFinal(session, password, data);
      const reference = { ...session };
      await sasl.continueSession(reference, password, data);
      expect(ours).toEqual({ response: reference.response, serverSignature: reference.serverSignature });
      expect(ours?.response.startsWith(`c=biws,r=${serverNonce(session)},p=`)).toBe(true);
    }
  });

  it('refuses a server nonce that does not extend the client nonce, as pg does', () => {
    const session = sasl.startSession(['SCRAM-SHA-256']);
    expect(() => scramClientFinal(session, 'tsdbt', 'r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toThrow('server nonce does not start with client nonce');
    expect(() => scramClientFinal(session, 'tsdbt', `r=${session.clientNonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`)).toThrow('server nonce is too short');
    expect(() => scramClientFinal(session, 'tsdbt', `r=${serverNonce(session)},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0`)).toThrow('invalid iteration count');
  });

  it("leaves channel binding and large iteration counts to pg's own step", () => {
    const session = sasl.startSession(['SCRAM-SHA-256']);
    expect(scramClientFinal(session, 'tsdbt', serverFirstOf(session, SYNC_ITERATIONS + 1))).toBeNull();
    expect(scramClientFinal({ ...session, mechanism: 'SCRAM-SHA-256-PLUS', response: `p=tls-server-end-point,,n=*,r=${session.clientNonce}` }, 'tsdbt', serverFirstOf(session))).toBeNull();
  });
});

describe('continueScram', () => {
  it('sends the client-final message in the same turn and records what pg checks next', () => {
    const session = sasl.startSession(['SCRAM-SHA-256']);
    const sent: string[] = [];
    const client = { saslSession: session, password: 'tsdbt', connection: { sendSCRAMClientFinalMessage: (text: string) => void sent.push(text), emit: () => true } };
    let fellBack = false;
    continueScram(client, serverFirstOf(session), () => (fellBack = true));
    expect(fellBack).toBe(false);
    expect(sent).toEqual([session.response]);
    expect(session.message).toBe('SASLResponse');
    expect(session.response).toMatch(/^c=biws,r=.*,p=/);
    expect(session.serverSignature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it("reports a bad server message as pg does (the connection's error), without pg's step", () => {
    const session = sasl.startSession(['SCRAM-SHA-256']);
    const errors: unknown[] = [];
    let fellBack = false;
    const client = { saslSession: session, password: 'tsdbt', connection: { sendSCRAMClientFinalMessage: () => undefined, emit: (_: 'error', err: unknown) => errors.push(err) > 0 } };
    continueScram(client, 'r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096', () => (fellBack = true));
    expect(fellBack).toBe(false);
    expect(String(errors[0])).toContain('server nonce does not start with client nonce');
  });
});
