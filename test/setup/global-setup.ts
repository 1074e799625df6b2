// Vitest global set-up: makes sure a real PostgreSQL server (Debian's postgresql-15 cluster) is up,
// with a `tsdbt` login role and a `tsdbt_test` database (pg-cluster.ts), then hands the connection
// settings to the tests (`inject('pgServer')`, see provided-context.ts), with ClickHouse's, the mock
// Kafka cluster's and the bundled CLI's. The server is left running afterwards.
import type { TestProject } from 'vitest/node';
import { ensureClickHouseServer } from './clickhouse-server.js';
import { startKafkaMock, stopKafkaMock } from './kafka-mock.js';
import { ensurePgServer } from './pg-cluster.js';
import { buildTestCli } from './test-cli.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const settings = await ensurePgServer();
  project.provide('pgServer', settings);
  project.provide('clickhouseUrl', await ensureClickHouseServer());
  project.provide('kafkaBrokers', await startKafkaMock(3));
  project.provide('testCliDir', await buildTestCli());
  return () => stopKafkaMock();
}
