// HTTP GETs for `tsdbt deps` (the package hub's JSON, package tarballs): each attempt has a
// timeout, failures that may pass (no answer, a reset, a 5xx or 429) are retried as dbt retries
// them (5 times), and the error that ends it names the host. A download still running after two
// seconds prints one "Downloading ..." line.
import { TsdbtError } from '../errors/tsdbt-error.js';

export interface NetworkSettings {
  /** Milliseconds one request may take. */
  timeoutMs: number;
  /** Retries after the first attempt (dbt: 5). */
  retries: number;
  /** Milliseconds between attempts (dbt: 1 s). */
  retryDelayMs: number;
  /** Milliseconds before a running download prints its progress line. */
  progressAfterMs: number;
}

export const DEFAULT_NETWORK: NetworkSettings = { timeoutMs: 30_000, retries: 5, retryDelayMs: 1000, progressAfterMs: 2000 };

/** Settings from the environment: TSDBT_DEPS_TIMEOUT_SECONDS, TSDBT_DEPS_RETRIES, TSDBT_DEPS_RETRY_DELAY_MS. */
export function networkSettings(env: NodeJS.ProcessEnv): NetworkSettings {
  const num = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      throw new TsdbtError(`${name}=${raw} is not a number of 0 or more`, { code: 'deps-setting-invalid', hint: `unset ${name} or give it a number` });
    }
    return n;
  };
  return {
    timeoutMs: num('TSDBT_DEPS_TIMEOUT_SECONDS', DEFAULT_NETWORK.timeoutMs / 1000) * 1000,
    retries: Math.floor(num('TSDBT_DEPS_RETRIES', DEFAULT_NETWORK.retries)),
    retryDelayMs: num('TSDBT_DEPS_RETRY_DELAY_MS', DEFAULT_NETWORK.retryDelayMs),
    progressAfterMs: DEFAULT_NETWORK.progressAfterMs,
  };
}

/** Why a GET failed for good. `status` is set when the server answered. */
export class HttpFailure extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** `host:port` of a URL, for messages (never its user or password). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** A URL as messages show it: without user, password, query or fragment (where tokens live). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    const tail = u.search || u.hash ? '?…' : '';
    u.search = '';
    u.hash = '';
    return `${u.toString()}${tail}`;
  } catch {
    return url;
  }
}

function retriableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

function reasonOf(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code === 'ENOTFOUND' ? 'host not found' : cause.code;
  return (err instanceof Error ? err.message : String(err)).replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (u) => displayUrl(u));
}

export interface GetOptions {
  settings: NetworkSettings;
  /** Called once when the download runs past `progressAfterMs`, with its size when known. */
  onSlow?: (bytes: number | null) => void;
  /** Called before each retry. */
  onRetry?: (attempt: number, reason: string) => void;
}

/** fetch() refuses URLs with credentials: they become a basic Authorization header. */
function withoutCredentials(url: string): { href: string; headers: Record<string, string> } {
  const u = new URL(url);
  if (!u.username && !u.password) return { href: url, headers: {} };
  const basic = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  return { href: u.toString(), headers: { authorization: `Basic ${basic}` } };
}

async function getOnce(url: string, options: GetOptions): Promise<Buffer> {
  const { timeoutMs, progressAfterMs } = options.settings;
  const { href, headers } = withoutCredentials(url);
  const response = await fetch(href, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!response.ok) {
    await response.body?.cancel();
    throw new HttpFailure(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, url, response.status);
  }
  const length = Number(response.headers.get('content-length'));
  const timer = options.onSlow ? setTimeout(() => options.onSlow?.(Number.isFinite(length) && length > 0 ? length : null), progressAfterMs) : undefined;
  timer?.unref();
  try {
    return Buffer.from(await response.arrayBuffer());
  } finally {
    if (timer) clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GET `url` with the settings' timeout and retries; throws HttpFailure naming the last reason. */
export async function httpGet(url: string, options: GetOptions): Promise<Buffer> {
  const { retries, retryDelayMs, timeoutMs } = options.settings;
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    try {
      return await getOnce(url, options);
    } catch (err) {
      if (err instanceof HttpFailure && err.status !== undefined && !retriableStatus(err.status)) throw err;
      reason = err instanceof HttpFailure ? err.message : reasonOf(err, timeoutMs);
      if (attempt >= retries) throw new HttpFailure(reason, url, err instanceof HttpFailure ? err.status : undefined);
    }
    options.onRetry?.(attempt + 1, reason);
    if (retryDelayMs > 0) await sleep(retryDelayMs);
  }
}
