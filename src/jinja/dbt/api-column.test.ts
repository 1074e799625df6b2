import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../engine/index.js';
import { clickhouseRules } from '../../adapters/clickhouse/clickhouse-rules.js';
import { postgresRules } from '../../adapters/postgres/postgres-rules.js';
import { ApiColumn, apiColumnFactory, columnsFromInfo } from './api-column.js';

const env = new JinjaEnvironment();
const render = (template: string, context: Record<string, unknown>) => env.renderString(template, context);

describe('ApiColumn', () => {
  it('renders data types: sized strings, numerics, others as given', () => {
    expect(new ApiColumn('a', 'character varying', 256).data_type).toBe('character varying(256)');
    expect(new ApiColumn('a', 'varchar', 20).data_type).toBe('character varying(20)');
    expect(new ApiColumn('a', 'numeric', null, 28, 6).data_type).toBe('numeric(28,6)');
    expect(new ApiColumn('a', 'numeric').data_type).toBe('numeric');
    expect(new ApiColumn('a', 'integer').data_type).toBe('integer');
    expect(new ApiColumn('a', 'timestamp without time zone').data_type).toBe('timestamp without time zone');
  });

  it('keeps text and unsized varchar by default (dbt-postgres); the base rendering sizes them', () => {
    expect(new ApiColumn('a', 'text').data_type).toBe('text');
    expect(new ApiColumn('a', 'character varying').data_type).toBe('character varying');
    const base = { keepsStringType: () => false };
    expect(new ApiColumn('a', 'text', null, null, null, base).data_type).toBe('character varying(256)');
    expect(new ApiColumn('a', 'character varying', null, null, null, base).data_type).toBe('character varying(256)');
  });

  it('classifies types', () => {
    const c = (t: string) => new ApiColumn('c', t);
    expect([c('text').is_string(), c('VARCHAR').is_string(), c('integer').is_string()]).toEqual([true, true, false]);
    expect([c('bigint').is_integer(), c('int4').is_integer(), c('numeric').is_integer()]).toEqual([true, true, false]);
    expect([c('double precision').is_float(), c('float8').is_float(), c('numeric').is_float()]).toEqual([true, true, false]);
    expect([c('decimal').is_numeric(), c('numeric').is_numeric(), c('real').is_numeric()]).toEqual([true, true, false]);
    expect([c('smallint').is_number(), c('real').is_number(), c('numeric').is_number(), c('text').is_number()]).toEqual([true, true, true, false]);
  });

  it('string sizes and widening', () => {
    const small = new ApiColumn('s', 'character varying', 10);
    const big = new ApiColumn('s', 'character varying', 50);
    expect(small.string_size()).toBe(10);
    expect(new ApiColumn('t', 'text', 10).string_size()).toBe(256);
    expect(new ApiColumn('t', 'varchar').string_size()).toBe(256);
    expect(() => new ApiColumn('n', 'integer').string_size()).toThrow('Called string_size() on non-string field!');
    expect(small.can_expand_to(big)).toBe(true);
    expect(big.can_expand_to(small)).toBe(false);
    expect(small.can_expand_to(new ApiColumn('n', 'integer'))).toBe(false);
    expect(small.can_expand_to({ other_column: big, __keywords: true })).toBe(true);
  });

  it('name, quoting, literal, repr, JSON', () => {
    const c = new ApiColumn('Order Id', 'numeric', null, 10, 2);
    expect(c.name).toBe('Order Id');
    expect(c.column).toBe('Order Id');
    expect(c.quoted).toBe('"Order Id"');
    expect(new ApiColumn('x', 'text', null, null, null, (n) => `\`${n}\``).quoted).toBe('`x`');
    expect(c.literal(5)).toBe('5::numeric(10,2)');
    expect(String(c)).toBe("Column(column='Order Id', dtype='numeric', char_size=None, numeric_precision=10, numeric_scale=2)");
    expect(JSON.stringify(c)).toBe('{"name":"Order Id","data_type":"numeric(10,2)"}');
  });

  it('class methods: string_type, numeric_type, translate_type, create, from_description', () => {
    expect(ApiColumn.string_type(10)).toBe('character varying(10)');
    expect(ApiColumn.numeric_type('numeric', 12, 3)).toBe('numeric(12,3)');
    expect(ApiColumn.numeric_type('numeric', null, 3)).toBe('numeric');
    expect(ApiColumn.translate_type('string')).toBe('TEXT');
    // dbt 1.7 removed the no-op labels (INTEGER => INT ...): only STRING translates.
    expect(ApiColumn.translate_type('integer')).toBe('integer');
    expect(ApiColumn.translate_type('uuid')).toBe('uuid');
    const created = ApiColumn.create('x', 'STRING');
    expect([created.dtype, created.data_type, created.is_string()]).toEqual(['TEXT', 'TEXT', true]);
    const v = ApiColumn.from_description('v', 'varchar(20)');
    expect([v.dtype, v.char_size, v.data_type]).toEqual(['varchar', 20, 'character varying(20)']);
    const n = ApiColumn.from_description('n', 'numeric(10, 2)');
    expect([n.dtype, n.numeric_precision, n.numeric_scale, n.data_type]).toEqual(['numeric', 10, 2, 'numeric(10,2)']);
    expect(ApiColumn.from_description('i', 'integer').data_type).toBe('integer');
    expect(() => ApiColumn.from_description('x', 'varchar(abc)')).toThrow(/Could not interpret data_type/);
  });
});

describe('columnsFromInfo', () => {
  it('splits sizes off format_type names of strings and numerics, keeps other types whole', () => {
    const cols = columnsFromInfo([
      { name: 'a', dataType: 'character varying(20)' },
      { name: 'b', dataType: 'numeric(10,2)' },
      { name: 'c', dataType: 'timestamp(3) without time zone' },
      { name: 'd', dataType: 'character varying', charMaxLength: 40 },
      { name: 'e', dataType: 'numeric', numericPrecision: 28, numericScale: 6 },
      { name: 'f', dataType: 'Decimal(10, 2)' },
      { name: 'g', dataType: 'Nullable(String)' },
      { name: 'h', dataType: 'text' },
    ]);
    expect(cols.map((c) => c.data_type)).toEqual([
      'character varying(20)', 'numeric(10,2)', 'timestamp(3) without time zone', 'character varying(40)',
      'numeric(28,6)', 'Decimal(10, 2)', 'Nullable(String)', 'text',
    ]);
    expect(cols[0]!.char_size).toBe(20);
    expect(cols[0]!.string_size()).toBe(20);
    expect(cols[0]!.can_expand_to(cols[3]!)).toBe(true);
  });

  it('takes the dialect quote', () => {
    const [c] = columnsFromInfo([{ name: 'x', dataType: 'String' }], (n) => `\`${n}\``);
    expect(c!.quoted).toBe('`x`');
  });
});

describe('api.Column in templates', () => {
  const api = { Column: apiColumnFactory() };

  it('callable with positional and keyword arguments', () => {
    expect(render("{{ api.Column('id', 'integer').data_type }}", { api })).toBe('integer');
    expect(render("{{ api.Column('n', dtype='numeric', numeric_precision=10, numeric_scale=2).data_type }}", { api })).toBe('numeric(10,2)');
    expect(render("{{ api.Column(column='s', dtype='character varying', char_size=30).data_type }}", { api })).toBe('character varying(30)');
    expect(render("{% set c = api.Column('My Col', 'text') %}{{ c.quoted }} {{ c.name }} {{ c.is_string() }} {{ c.is_number() }}", { api })).toBe(
      '"My Col" My Col True False',
    );
    expect(render("{{ api.Column('x', 'integer') }}", { api })).toBe("Column(column='x', dtype='integer', char_size=None, numeric_precision=None, numeric_scale=None)");
  });

  it('class methods as attributes of api.Column', () => {
    expect(render('{{ api.Column.string_type(10) }}', { api })).toBe('character varying(10)');
    expect(render("{{ api.Column.numeric_type('numeric', 12, 4) }} {{ api.Column.numeric_type(dtype='decimal', precision=none, scale=2) }}", { api })).toBe(
      'numeric(12,4) decimal',
    );
    expect(render("{{ api.Column.create('x', 'string').dtype }}", { api })).toBe('TEXT');
    expect(render("{{ api.Column.from_description('p', 'numeric(8,3)').data_type }}", { api })).toBe('numeric(8,3)');
    expect(render("{{ api.Column.translate_type('float') }} {{ api.Column.translate_type('String') }}", { api })).toBe('float TEXT');
  });

  it("an adapter's own TYPE_LABELS: ClickHouse's api.Column translates as dbt-clickhouse's ClickHouseColumn", () => {
    const ch = apiColumnFactory(clickhouseRules.columnTypes);
    expect([ch.translate_type('string'), ch.translate_type('INTEGER'), ch.translate_type('timestamp'), ch.translate_type('boolean')]).toEqual(['String', 'Int32', 'DateTime', 'boolean']);
    expect(ch.create('x', 'float').dtype).toBe('Float32');
    expect(ch.TYPE_LABELS.STRING).toBe('String');
  });

  it('columns from the catalog in a loop, with widening and literals', () => {
    const cols = columnsFromInfo([
      { name: 'id', dataType: 'integer' },
      { name: 'label', dataType: 'character varying(10)' },
    ]);
    const wider = new ApiColumn('label', 'character varying', 50);
    expect(
      render(
        '{% for c in cols %}{{ c.quoted }} {{ c.data_type }}{% if not loop.last %}, {% endif %}{% endfor %}|{{ cols[1].can_expand_to(wider) }}|{{ cols[1].literal("\'x\'") }}',
        { cols, wider },
      ),
    ).toBe('"id" integer, "label" character varying(10)|True|\'x\'::character varying(10)');
    // Jinja2's tojson filter sorts keys (policies['json.dumps_kwargs'] = {'sort_keys': True}).
    expect(render('{{ cols | tojson }}', { cols })).toBe('[{"data_type": "integer", "name": "id"}, {"data_type": "character varying(10)", "name": "label"}]');
  });

  it('a dialect quote and string type', () => {
    const ch = { Column: apiColumnFactory({ quote: (n) => `\`${n}\``, stringType: () => 'String' }) };
    expect(render("{{ api.Column('a', 'String').quoted }} {{ api.Column.string_type(5) }}", { api: ch })).toBe('`a` String');
  });

  it("dbt-adapters' Column members through an instance: expanded_data_type, the class's methods, ==, PostgresColumn's repr", () => {
    const pg = { Column: apiColumnFactory(postgresRules.columnTypes) };
    const members = [
      "{% set c = api.Column('v', 'character varying', 20) %}",
      '{{ c.expanded_data_type }}|{{ c.string_type(5) }}|{{ c.translate_type("string") }}|{{ c.TYPE_LABELS }}|',
      "{{ c.numeric_type('numeric', 4, 1) }}|{{ c.create('x', 'string').data_type }}|{{ c.from_description('n', 'numeric(6,2)').data_type }}|",
      "{{ c == api.Column('v', 'character varying', 20) }} {{ c == api.Column('v', 'character varying', 21) }} {{ c != api.Column('w', 'character varying', 20) }}|",
      "{{ api.Column('u', 'varchar').data_type }} {{ api.Column('u', 'character varying').data_type }}|{{ c }}",
    ].join('');
    expect(render(members, { api: pg })).toBe(
      [
        "character varying(20)|character varying(5)|TEXT|{'STRING': 'TEXT'}|numeric(4,1)|TEXT|numeric(6,2)|True False True|",
        "character varying(256) character varying|PostgresColumn(column='v', dtype='character varying', char_size=20, numeric_precision=None, numeric_scale=None)",
      ].join(''),
    );
  });

  it("ClickHouse's api.Column is dbt-clickhouse's ClickHouseColumn: Nullable/LowCardinality read off, families by prefix, its data_type, literal, str and repr", () => {
    const ch = { Column: apiColumnFactory(clickhouseRules.columnTypes) };
    const row = "{% set c = api.Column(n, t) %}{{ c.dtype }}|{{ c.data_type }}|{{ c.is_nullable }}|{{ c.is_low_cardinality }}|{{ c.is_string() }}{{ c.is_integer() }}{{ c.is_float() }}{{ c.is_numeric() }}|{{ c.char_size }},{{ c.numeric_precision }},{{ c.numeric_scale }}|{{ c }}|{{ [c] }}";
    const cases: [string, string, string][] = [
      ['s', 'LowCardinality(Nullable(String))', "String|LowCardinality(Nullable(String))|True|True|TrueFalseFalseFalse|None,None,None|s Nullable(LowCardinality(Nullable(String)))|[<ClickhouseColumn s (LowCardinality(Nullable(String)), is nullable: True)>]"],
      ['f', 'FixedString(5)', 'FixedString(5)|String|False|False|TrueFalseFalseFalse|5,None,None|f String|[<ClickhouseColumn f (String, is nullable: False)>]'],
      ['i', 'Nullable(UInt64)', 'UInt64|Nullable(UInt64)|True|False|FalseTrueFalseFalse|None,None,None|i Nullable(Nullable(UInt64))|[<ClickhouseColumn i (Nullable(UInt64), is nullable: True)>]'],
      ['d', 'Decimal(18, 4)', 'Decimal(18, 4)|Decimal(18, 4)|False|False|FalseFalseFalseTrue|None,18,4|d Decimal(18, 4)|[<ClickhouseColumn d (Decimal(18, 4), is nullable: False)>]'],
      ['x', 'Float64', 'Float64|Float64|False|False|FalseFalseTrueFalse|None,None,None|x Float64|[<ClickhouseColumn x (Float64, is nullable: False)>]'],
    ];
    for (const [n, t, expected] of cases) expect(render(row, { api: ch, n, t })).toBe(expected);
    const more = "{% set f = api.Column('f', 'FixedString(5)') %}{{ f.string_size() }} {{ api.Column('s', 'String').string_size() }} {{ f.can_expand_to(api.Column('g', 'FixedString(9)')) }}|{{ api.Column('i', 'Int32').literal(3) }}|{{ api.Column.string_type(10) }}|{{ api.Column.numeric_type('Decimal', 10, 2) }}|{{ api.Column('d', 'Decimal').data_type }}|{{ api.Column('a', 'Nullable(String)') == api.Column('a', 'String') }}";
    expect(render(more, { api: ch })).toBe('5 256 True|toInt32(3)|String|Decimal(10, 2)|Decimal(0, 0)|False');
    // PostgreSQL's columns have no such members.
    expect(render("{{ api.Column('a', 'text').is_nullable is defined }}", { api: { Column: apiColumnFactory(postgresRules.columnTypes) } })).toBe('False');
  });

  it('missing arguments are errors', () => {
    expect(() => render("{{ api.Column('x') }}", { api })).toThrow(/missing required argument 'dtype'/);
  });
});
