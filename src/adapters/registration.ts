// What an adapter folder gives the registry (index.ts): how to connect to a target, and its
// dialect without connecting. A new adapter is one folder that exports an AdapterRegistration,
// plus its line in index.ts's REGISTRY.
import type { AdapterCapabilities, AdapterFactory, AdapterTargetConfig, SqlBuilders } from './adapter.js';
import type { RelationDialect } from './relation.js';

/** What a target's dialect is without connecting to it. */
export interface AdapterDialect {
  type: string;
  /** Quoting and include rules for Relation. */
  relation: RelationDialect;
  sql: SqlBuilders;
  dispatchPrefixes: string[];
  /** The database relations default to (`dbname` for postgres, `postgres` for PGlite). */
  defaultDatabase: string;
  capabilities: AdapterCapabilities;
}

export interface AdapterRegistration {
  /** Connects (lazily for servers). Drivers are imported inside, so compiling never loads one. */
  create: AdapterFactory;
  dialect: (target: AdapterTargetConfig) => AdapterDialect;
}
