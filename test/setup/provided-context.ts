// What the vitest global set-up hands to test files through `provide` / `inject`, and the type
// augmentation that makes `inject('pgServer')` typed.

/** How tests reach the PostgreSQL server started by test/setup/global-setup.ts. */
export interface PgServerSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgServer: PgServerSettings;
    /** Debian's ClickHouse server (18.16) over HTTP, for transport smoke tests. */
    clickhouseUrl: string;
    /** librdkafka's mock cluster: bootstrap servers `host:port,...`. */
    kafkaBrokers: string;
    /** The CLI bundled from the current sources (test-cli.ts): its folder, or '' to run the sources through tsx. */
    testCliDir: string;
  }
}
