// What each dialect answers for the knowledge core code asks the adapter (Adapter.rules,
// Adapter.queries), and what a new adapter gets for free from the shared defaults.
import { describe, expect, it } from 'vitest';
import { Relation } from '../../src/adapters/relation.js';
import { coreQueries } from '../../src/adapters/default-queries.js';
import { dialectRules } from '../../src/adapters/default-rules.js';
import { dialectFor } from '../../src/adapters/index.js';
import type { ErrorCode } from '../../src/errors/codes.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';

const postgres = dialectFor({ type: 'postgres', name: 'dev', schema: 'analytics', threads: 1, dbname: 'warehouse' });
const clickhouse = dialectFor({ type: 'clickhouse', name: 'dev', schema: 'analytics', threads: 1 });
const refused = (code: string) => new TsdbtError('refused', { code: code as ErrorCode, category: 'database' });

describe('refused values (the loader dead-letters the row)', () => {
  it('PostgreSQL: SQLSTATE class 22 and 23502 (NULL in a NOT NULL column), nothing else', () => {
    expect(['sqlstate-22P02', 'sqlstate-22003', 'sqlstate-23502'].map((c) => postgres.rules.isDataError(refused(c)))).toEqual([true, true, true]);
    expect(['sqlstate-23505', 'sqlstate-40001', 'clickhouse-6', 'database-error'].map((c) => postgres.rules.isDataError(refused(c)))).toEqual([false, false, false, false]);
    expect(postgres.rules.isDataError(new TsdbtError('x', { code: 'sqlstate-22P02', category: 'user' }))).toBe(false);
  });

  it('ClickHouse: its parse and conversion codes, nothing else', () => {
    expect(['clickhouse-6', 'clickhouse-27', 'clickhouse-72', 'clickhouse-117'].map((c) => clickhouse.rules.isDataError(refused(c)))).toEqual([true, true, true, true]);
    expect(['clickhouse-60', 'clickhouse-1170', 'sqlstate-22P02', 'clickhouse-timeout'].map((c) => clickhouse.rules.isDataError(refused(c)))).toEqual([false, false, false, false]);
  });

  it('constraint violations (the loader then goes through its staging table): SQLSTATE class 23 where there are SQLSTATEs', () => {
    expect(['sqlstate-23505', 'sqlstate-23514', 'sqlstate-23503'].map((c) => postgres.rules.isConstraintViolation(refused(c)))).toEqual([true, true, true]);
    expect(['sqlstate-22P02', 'sqlstate-40001', 'sqlstate-42P10', 'database-error'].map((c) => postgres.rules.isConstraintViolation(refused(c)))).toEqual([false, false, false, false]);
    expect(postgres.rules.isConstraintViolation(new TsdbtError('x', { code: 'sqlstate-23505', category: 'user' }))).toBe(false);
    expect(['clickhouse-6', 'clickhouse-timeout'].map((c) => clickhouse.rules.isConstraintViolation(refused(c)))).toEqual([false, false]);
  });

  it('a new SQL adapter whose errors carry SQLSTATEs gets the standard reading without writing one', () => {
    const rules = dialectRules();
    expect(rules.isDataError(refused('sqlstate-22007'))).toBe(true);
    expect(rules.agateType('timestamp with time zone')).toBe('DateTime');
    expect(rules.timeZoneAware('timestamp with time zone')).toBe(true);
    expect(rules.agateType('decimal(10,2)')).toBe('Number');
    expect(rules.columnTypes.stringType(20)).toBe('character varying(20)');
    expect(rules.catalogTableType('view')).toBe('VIEW');
    expect(rules.catalogTableType('table')).toBe('BASE TABLE');
    // dbt-postgres's get_catalog_relations: relkind 'm' is 'MATERIALIZED VIEW'.
    expect(rules.catalogTableType('materialized_view')).toBe('MATERIALIZED VIEW');
  });

  it('timestamps read the same whether the driver gives a Date (PostgreSQL) or UTC text (ClickHouse)', () => {
    const at = new Date(Date.UTC(2026, 0, 1, 10, 5, 0, 123));
    expect(postgres.rules.readTimestamp(at)).toBe(at);
    expect(clickhouse.rules.readTimestamp('2026-01-01 10:05:00.123').getTime()).toBe(at.getTime());
    expect(clickhouse.rules.readTimestamp('2026-01-01T12:05:00.123+02:00').getTime()).toBe(at.getTime());
  });
});

describe('core queries, written with each dialect\'s quoting', () => {
  const offsets = (d: typeof postgres) => new Relation({ schema: 'raw', identifier: 'tsdbt_kafka_offsets' }, d.relation);

  it('PostgreSQL', () => {
    expect(postgres.queries.countRows(offsets(postgres))).toBe('select count(*) as n from "raw"."tsdbt_kafka_offsets"');
    expect(postgres.queries.maxByGroup(offsets(postgres), 'partition', 'next_offset', [['topic', "'clicks'"]])).toBe(
      'select "partition" as group_value, max("next_offset") as max_value from "raw"."tsdbt_kafka_offsets" where "topic" = \'clicks\' group by "partition"',
    );
  });

  it('ClickHouse', () => {
    expect(clickhouse.queries.maxByGroup(offsets(clickhouse), 'partition', 'offset', [['topic', "'clicks'"]])).toBe(
      'select `partition` as group_value, max(`offset`) as max_value from `raw`.`tsdbt_kafka_offsets` where `topic` = \'clicks\' group by `partition`',
    );
  });

  it('an adapter replaces one query and keeps the rest', () => {
    const queries = coreQueries({ quoteIdentifier: (n) => `[${n}]` }, { countRows: (r) => `select count_big(*) as n from ${r.render()}` });
    const t = new Relation({ schema: 's', identifier: 't' }, { quoteIdentifier: (n) => `[${n}]`, bareIdentifierName: () => null, defaultQuotePolicy: { database: true, schema: true, identifier: true }, defaultIncludePolicy: { database: true, schema: true, identifier: true } });
    expect(queries.countRows(t)).toBe('select count_big(*) as n from [s].[t]');
    expect(queries.deleteWhereEqual(t, [['model_id', "'m'"]])).toBe("delete from [s].[t] where [model_id] = 'm'");
  });
});
