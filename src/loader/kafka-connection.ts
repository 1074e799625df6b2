// Where the brokers are and how to talk to them: `--brokers`, then TSDBT_KAFKA_BROKERS, then the
// profile target's `kafka:` block, which also carries the client id and the TLS / SASL settings
// passed through to the client:
//   kafka: {brokers: [host:9093], client_id: etl, ssl: true, sasl: {mechanism: scram-sha-512, username: u, password: p},
//           connect_timeout: 10, request_timeout: 30}   (seconds; these are the defaults)
import { TsdbtError } from '../errors/tsdbt-error.js';

export interface KafkaConnectionSettings {
  brokers: string[];
  clientId?: string;
  /** true, or TLS options (`ca`, `cert`, `key`, `rejectUnauthorized`...) as the client takes them. */
  ssl?: boolean | Record<string, unknown>;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** `connect_timeout` (seconds): how long opening a connection to a broker may take. */
  connectTimeoutMs?: number;
  /** `request_timeout` (seconds): how long a broker may take to answer. */
  requestTimeoutMs?: number;
}

/** `host:9092, host2:9092` -> [`host:9092`, `host2:9092`]. */
export function brokerList(value: string): string[] {
  return value.split(',').map((b) => b.trim()).filter(Boolean);
}

const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

function profileError(message: string, hint: string): TsdbtError {
  return new TsdbtError(`profile target kafka settings: ${message}`, { code: 'kafka-profile-invalid', category: 'user', hint });
}

export function kafkaConnectionFrom(profileKafka: unknown, flag: string | undefined, env: NodeJS.ProcessEnv): KafkaConnectionSettings {
  const block = profileKafka && typeof profileKafka === 'object' && !Array.isArray(profileKafka) ? (profileKafka as Record<string, unknown>) : {};
  const fromProfile = Array.isArray(block.brokers) ? block.brokers.join(',') : typeof block.brokers === 'string' ? block.brokers : undefined;
  const value = flag ?? env.TSDBT_KAFKA_BROKERS ?? fromProfile;
  if (!value) {
    throw new TsdbtError('no Kafka brokers given', {
      code: 'kafka-brokers-missing',
      hint: 'pass --brokers host:9092, set TSDBT_KAFKA_BROKERS, or add `kafka: {brokers: [host:9092]}` to the profile target',
    });
  }
  const settings: KafkaConnectionSettings = { brokers: brokerList(value) };
  if (typeof block.client_id === 'string' && block.client_id) settings.clientId = block.client_id;
  if (block.ssl !== undefined) {
    if (typeof block.ssl !== 'boolean' && (typeof block.ssl !== 'object' || block.ssl === null)) throw profileError('ssl must be true, false or a mapping of TLS options', 'write `ssl: true`, or `ssl: {rejectUnauthorized: false}`');
    settings.ssl = block.ssl as boolean | Record<string, unknown>;
  }
  for (const [key, field] of [['connect_timeout', 'connectTimeoutMs'], ['request_timeout', 'requestTimeoutMs']] as const) {
    const value = block[key];
    if (value === undefined || value === null) continue;
    const seconds = Number(value);
    if (typeof value === 'boolean' || !Number.isFinite(seconds) || seconds <= 0) throw profileError(`${key} must be a positive number of seconds, got '${String(value)}'`, `write e.g. \`${key}: ${key === 'connect_timeout' ? 10 : 30}\``);
    settings[field] = Math.round(seconds * 1000);
  }
  if (block.sasl !== undefined) {
    const sasl = block.sasl as Record<string, unknown> | null;
    const mechanism = String(sasl?.mechanism ?? '').toLowerCase();
    if (!(MECHANISMS as readonly string[]).includes(mechanism)) throw profileError(`sasl.mechanism '${String(sasl?.mechanism)}' is not supported`, `use one of: ${MECHANISMS.join(', ')}`);
    if (typeof sasl?.username !== 'string' || typeof sasl.password !== 'string') throw profileError('sasl needs a username and a password', "write `sasl: {mechanism: plain, username: ..., password: \"{{ env_var('KAFKA_PASSWORD') }}\"}`");
    settings.sasl = { mechanism: mechanism as (typeof MECHANISMS)[number], username: sasl.username, password: sasl.password };
  }
  return settings;
}
