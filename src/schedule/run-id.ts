// A scheduled run's id, one format everywhere: the run history's `run_id`, log lines and their
// `run_id` field, /metrics' tsdbt_last_run_info, target/runs/<run id>/, and the build's
// invocation_id (run_results.json's metadata, Jinja's `invocation_id`), as in dbt a UUID. It is a
// UUID version 7 (RFC 9562): its first 48 bits are the tick's time in milliseconds, so run ids
// sort by time, as their folders under target/runs/ do.
import { randomBytes } from 'node:crypto';

export function newRunId(tickAt: Date, random: Buffer = randomBytes(10)): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(Math.max(0, Math.min(tickAt.getTime(), 2 ** 48 - 1)), 0, 6);
  random.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
