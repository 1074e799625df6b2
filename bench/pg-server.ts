// The PostgreSQL server the benchmarks use: TSDBT_PG_HOST/PORT/USER/PASSWORD/DBNAME, by default the
// one the test set-up starts.
const env = process.env;

export const benchServer = {
  host: env.TSDBT_PG_HOST ?? '127.0.0.1',
  port: Number(env.TSDBT_PG_PORT ?? 5432),
  user: env.TSDBT_PG_USER ?? 'tsdbt',
  password: env.TSDBT_PG_PASSWORD ?? 'tsdbt',
  database: env.TSDBT_PG_DBNAME ?? 'tsdbt_test',
};
