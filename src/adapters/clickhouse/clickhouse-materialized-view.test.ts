import { describe, expect, it } from 'vitest';
import { clickhouseTriggerViews, externalTarget, extractTriggerViews, parseViewDefinition, refreshClause } from './clickhouse-materialized-view.js';
import { clickhouseSql, quoteString } from './clickhouse-sql.js';
import { Relation } from '../relation.js';

const sql = clickhouseSql();
const rel = (identifier: string, type: 'table' | 'materialized_view' = 'table') => new Relation({ database: null, schema: 'db', identifier, type }, sql);

describe('extractTriggerViews (clickhouse__extract_mv_views)', () => {
  it('is one `mv` over the whole SQL without markers', () => {
    expect(extractTriggerViews('select 1 as id -- a comment: here')).toEqual([{ suffix: 'mv', selectSql: 'select 1 as id -- a comment: here' }]);
  });

  it('is one view per `--name:begin` ... `--name:end` block, in order, names one token', () => {
    const text = '--mv1:begin\nselect 1 as id\n--mv1:end\nunion all\n-- mv2:begin\nselect 2 as id -- two\n-- mv2:end\n';
    expect(extractTriggerViews(text)).toEqual([
      { suffix: 'mv1', selectSql: '\nselect 1 as id\n' },
      { suffix: 'mv2', selectSql: '\nselect 2 as id -- two\n' },
    ]);
  });

  it('names a block without its end', () => {
    expect(() => extractTriggerViews('--mv1:begin\nselect 1\n')).toThrow(/'mv1' has a `--mv1:begin` comment and no `--mv1:end`/);
  });
});

describe('refreshClause (refreshable_mv_clause)', () => {
  it('renders interval, randomize, depends_on and append', () => {
    expect(refreshClause({})).toBe('');
    expect(refreshClause({ refreshable: false })).toBe('');
    expect(refreshClause({ refreshable: { interval: 'EVERY 1 HOUR', randomize: '10 MINUTE', depends_on: ['db.a_mv', 'b_mv'], append: true } })).toBe(
      'REFRESH EVERY 1 HOUR RANDOMIZE FOR 10 MINUTE DEPENDS ON db.a_mv, b_mv APPEND',
    );
    expect(refreshClause({ refreshable: { interval: 'AFTER 5 MINUTE', depends_on: 'x' } })).toBe('REFRESH AFTER 5 MINUTE DEPENDS ON x');
  });

  it("refuses what dbt-clickhouse refuses", () => {
    expect(() => refreshClause({ refreshable: 'EVERY 1 HOUR' })).toThrow(/must be defined as a dictionary/);
    expect(() => refreshClause({ refreshable: { randomize: '1 MINUTE' } })).toThrow(/'interval' is missing/);
    expect(() => refreshClause({ refreshable: { interval: 'EVERY 1 DAY', depends_on: [1] } })).toThrow(/either a string or a list of strings/);
  });
});

describe('the statements', () => {
  const views = clickhouseTriggerViews(' on cluster `c`', quoteString);

  it('create, modify query, modify refresh, drop', () => {
    expect(views.create(rel('t_mv', 'materialized_view'), rel('t'), ' select 1 as id\n', { refreshable: { interval: 'EVERY 1 HOUR' } })).toBe(
      'create materialized view if not exists `db`.`t_mv` on cluster `c`\nREFRESH EVERY 1 HOUR\nto `db`.`t`\nas select 1 as id',
    );
    expect(views.modifyQuery(rel('t_mv'), 'select 2 as id')).toBe('alter table `db`.`t_mv` on cluster `c` modify query select 2 as id');
    expect(views.modifyRefresh(rel('t_mv'), {})).toBeNull();
    expect(views.modifyRefresh(rel('t_mv'), { refreshable: { interval: 'EVERY 2 HOUR', append: true } })).toBe('alter table `db`.`t_mv` on cluster `c` modify REFRESH EVERY 2 HOUR APPEND');
    expect(views.drop(rel('t_mv'))).toBe('drop view if exists `db`.`t_mv` on cluster `c` sync');
  });

  it('checks dependencies only with depends_on_validation', () => {
    expect(views.dependencyChecks({ refreshable: { interval: 'EVERY 1 HOUR', depends_on: ['a'] } })).toEqual([]);
    expect(views.dependencyChecks({ refreshable: { interval: 'EVERY 1 HOUR', depends_on: ['a', 'db.b'], depends_on_validation: true } }).map((c) => c.query)).toEqual([
      "select count() as n from system.view_refreshes where database = 'default' and view = 'a'",
      "select count() as n from system.view_refreshes where database = 'db' and view = 'b'",
    ]);
  });
});

describe('parseViewDefinition (system.tables create_table_query)', () => {
  it('reads the target and the refresh mode', () => {
    expect(parseViewDefinition('CREATE MATERIALIZED VIEW d.t_mv TO d.t (`id` Int32) AS SELECT id FROM d.src')).toEqual({ target: 'd.t', refreshable: false, append: false });
    expect(parseViewDefinition('CREATE MATERIALIZED VIEW d.r REFRESH EVERY 1 HOUR APPEND TO `my-db`.`t\\`x` (`id` Int32) AS SELECT 1 AS APPEND')).toEqual({
      target: 'my-db.t`x',
      refreshable: true,
      append: true,
    });
    expect(parseViewDefinition('CREATE MATERIALIZED VIEW d.v ENGINE = Memory AS SELECT 1')).toEqual({ target: null, refreshable: false, append: false });
  });
});

describe('externalTarget (the materialization_target_table comment)', () => {
  it('reads schema.table with or without quotes, else null', () => {
    expect(externalTarget('-- materialization_target_table: `db`.`events`\nselect 1')).toEqual({ schema: 'db', identifier: 'events' });
    expect(externalTarget('select 1\n--materialization_target_table: "db".events  \n')).toEqual({ schema: 'db', identifier: 'events' });
    expect(externalTarget('select 1 -- a comment')).toBeNull();
    expect(() => externalTarget('-- materialization_target_table: events\nselect 1')).toThrow(/Invalid relation string "events". Expected format: schema.table/);
  });
});
