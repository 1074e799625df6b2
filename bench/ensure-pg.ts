// Before the benchmarks that need a PostgreSQL server: on a machine with Debian's postgresql-15
// (what `npm run test:all` installs), makes sure the tests' cluster is up with its `tsdbt` role and
// `tsdbt_test` database, as the test set-up does, so `npm run bench` right after `npm ci` measures
// every part. With TSDBT_PG_* set, the server they name is used as it is. Never fails the bench:
// the parts that need the server say why they are skipped.
import { ensurePgServer } from '../test/setup/pg-cluster.js';

if (process.env.TSDBT_PG_HOST === undefined) {
  try {
    const server = await ensurePgServer();
    console.log(`PostgreSQL server for the benchmarks: ${server.host}:${server.port}, database ${server.database}`);
  } catch (err) {
    console.log(`no PostgreSQL server for the benchmarks (${(err as Error).message.split('\n')[0]}); the parts that need one are skipped`);
  }
}
