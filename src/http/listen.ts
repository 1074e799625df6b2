// Binding tsdbt's HTTP servers (the scheduler's /health and /metrics, `docs serve`) to 127.0.0.1,
// or to the host `docs serve --host` names (dbt's flag, default 127.0.0.1).
// A port or host that cannot be bound is the user's to fix, not a tsdbt bug: it is reported as a user error
// naming the address, why (in use, not permitted) and what to do, instead of Node's EADDRINUSE stack.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TsdbtError } from '../errors/tsdbt-error.js';

export const LOOPBACK = '127.0.0.1';

export interface ListenPurpose {
  /** What the server would serve, for the message: `/health and /metrics`, `the docs site`. */
  serving: string;
  /** The flag that chooses the port, for the hint: `--port`. */
  portFlag: string;
}

/** Listens on `host`:`port` (0: any free port; host 127.0.0.1 unless given); resolves with the bound port. */
export async function listenOn(server: Server, port: number, purpose: ListenPurpose, host = LOOPBACK): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TsdbtError(`cannot serve ${purpose.serving}: ${purpose.portFlag} ${port} is not a TCP port`, {
      code: 'port-invalid',
      hint: `give ${purpose.portFlag} a port from 1 to 65535, or 0 for any free port`,
    });
  }
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, host, port, purpose));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number, { serving, portFlag }: ListenPurpose): TsdbtError {
  const address = `${host}:${port}`;
  const otherPort = `pick another port with ${portFlag} <port> (${portFlag} 0 takes any free port and prints it)`;
  if (err.code === 'EADDRINUSE') {
    return new TsdbtError(`cannot serve ${serving} on ${address}: port ${port} is already in use by another program (or another tsdbt)`, {
      code: 'port-in-use',
      hint: `stop the program listening on port ${port} (e.g. find it with \`lsof -i :${port}\`), or ${otherPort}`,
      cause: err,
    });
  }
  if (err.code === 'EACCES' || err.code === 'EPERM') {
    return new TsdbtError(`cannot serve ${serving} on ${address}: not permitted to listen on port ${port} (ports below 1024 need extra privileges)`, {
      code: 'port-not-permitted',
      hint: otherPort,
      cause: err,
    });
  }
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
    return new TsdbtError(`cannot serve ${serving} on ${address}: ${host} is not an address of this machine`, {
      code: 'host-not-local',
      hint: `give --host an address of one of this machine's network interfaces (0.0.0.0 listens on all of them), or leave it out for ${LOOPBACK}`,
      cause: err,
    });
  }
  return new TsdbtError(`cannot serve ${serving} on ${address}: ${err.message}`, { code: 'listen-failed', hint: otherPort, cause: err });
}
