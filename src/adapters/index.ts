// The adapter registry: `createAdapter` picks the implementation for a profile target's `type`,
// and `dialectFor` gives the connection-free part (quoting, SQL builders, dispatch prefixes, rules,
// queries) to commands that only compile. Each adapter folder exports its AdapterRegistration; a
// new adapter is its folder plus one line in REGISTRY. Drivers are imported on demand
// (postgres-adapter.ts), so compiling never loads one.
import type { Adapter, AdapterContext, AdapterDialect, AdapterRegistration, AdapterTargetConfig } from './adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { pgliteEmbeddedDefault, pgliteRegistration, postgresRegistration } from './postgres/postgres-registration.js';
import { clickhouseRegistration } from './clickhouse/clickhouse-registration.js';

export type { AdapterDialect } from './adapter.js';
export type { ProfilePrompt, ProfileTemplate } from './profile-template.js';
import type { ProfileTemplate } from './profile-template.js';

/** The profile `type`s: each adapter folder exports its registration, listed here once. */
const REGISTRY: Record<string, AdapterRegistration> = {
  postgres: postgresRegistration,
  clickhouse: clickhouseRegistration,
  pglite: pgliteRegistration,
};

/** The warehouse a project builds on when no profiles.yml exists. */
export const EMBEDDED_DEFAULT = pgliteEmbeddedDefault;

/** What `tsdbt init` offers, in its order: each adapter's profile templates (dbt's profile_template.yml). */
export function profileTemplates(): ProfileTemplate[] {
  const order = ['postgres', 'pglite', 'clickhouse'];
  return order.flatMap((type) => REGISTRY[type]?.profileTemplates ?? []);
}

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
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/** Whether the target's adapter may be created, and its login started, while the project loads (AdapterRegistration.connectsAhead). */
export function connectsAhead(target: AdapterTargetConfig): boolean {
  return Object.hasOwn(REGISTRY, target.type) && REGISTRY[target.type]?.connectsAhead === true;
}

/** The dialect of a target, without connecting (for parsing and compiling). */
export function dialectFor(target: AdapterTargetConfig): AdapterDialect {
  return registrationFor(target).dialect(target);
}
