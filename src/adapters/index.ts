// The adapter registry: `createAdapter` picks the implementation for a profile target's `type`,
// and `dialectFor` gives the connection-free part (quoting, SQL builders, dispatch prefixes) to
// commands that only compile. Drivers are imported on demand (postgres-adapter.ts), so compiling
// never loads one.
import type { Adapter, AdapterContext, AdapterTargetConfig } from './adapter.js';
import type { AdapterDialect, AdapterRegistration } from './registration.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { clickhouseRegistration } from './clickhouse/clickhouse-registration.js';
import { pgliteRegistration, postgresRegistration } from './postgres/postgres-registration.js';

export type { AdapterDialect } from './registration.js';

/** One line per profile `type`; each adapter folder exports its registration. */
const REGISTRY: Record<string, AdapterRegistration> = {
  postgres: postgresRegistration,
  clickhouse: clickhouseRegistration,
  pglite: pgliteRegistration,
};

/** The profile `type`s tsdbt can connect to. */
export function knownAdapterTypes(): string[] {
  return Object.keys(REGISTRY);
}

function registrationFor(target: AdapterTargetConfig): AdapterRegistration {
  const registration = Object.hasOwn(REGISTRY, target.type) ? REGISTRY[target.type] : undefined;
  if (!registration) {
    const known = knownAdapterTypes().join(', ');
    throw new TsdbtError(`unknown adapter type '${target.type}' in profile target '${target.name}' (known types: ${known})`, {
      code: 'adapter-unknown',
      category: 'user',
      hint: `set \`type\` to one of: ${known}`,
    });
  }
  return registration;
}

/** Connects to a profile target (lazily for servers: the first statement opens the connection). */
export function createAdapter(target: AdapterTargetConfig, context: AdapterContext): Promise<Adapter> {
  try {
    return registrationFor(target).create(target, context);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The dialect of a target, without connecting (for parsing and compiling). */
export function dialectFor(target: AdapterTargetConfig): AdapterDialect {
  return registrationFor(target).dialect(target);
}
