import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../engine/index.js';
import { AgateTable, agateTypeOf, decimalToNumber, setAgateTableOutput, typeNamesOf } from './index.js';
import { PyDatetime } from '../datetime/index.js';
import { postgresRules } from '../../../adapters/postgres/postgres-rules.js';
import { clickhouseRules } from '../../../adapters/clickhouse/clickhouse-rules.js';

const RULES = postgresRules;

const env = new JinjaEnvironment();
const render = (template: string, context: Record<string, unknown>) => env.renderString(template, context);

function sample(): AgateTable {
  return AgateTable.fromQueryResult(
    [
      { name: 'id', dataType: 'integer' },
      { name: 'name', dataType: 'text' },
      { name: 'amount', dataType: 'numeric' },
    ],
    [
      { id: 1, name: 'a', amount: '10.50' },
      { id: 2, name: 'b', amount: null },
      { id: 3, name: 'a', amount: '123456789012345678901234.5' },
    ],
    RULES,
  );
}

describe('AgateTable indexing (agate Table.__getitem__ is its rows)', () => {
  it("run_query(sql)[0] is the first row; a negative index counts from the end; past the end is undefined", () => {
    const t = sample();
    expect(render('{% set first = t[0] %}{{ first[0] }}/{{ first[1] }}|{{ t[-1][0] }}|{% set a, b = t[1][0], t[1][1] %}{{ a }}{{ b }}|{{ t[3] is defined }}|{{ t | length }}', { t })).toBe('1/a|3|2b|False|3');
  });
});

describe('AgateTable from a query result', () => {
  it('has column names, agate types, rows and columns', () => {
    const t = sample();
    expect([...t.column_names]).toEqual(['id', 'name', 'amount']);
    expect([...typeNamesOf(t)]).toEqual(['Integer', 'Text', 'Number']);
    expect(t.rows).toHaveLength(3);
    expect([...t.rows[0]!.values()]).toEqual([1, 'a', 10.5]);
    // A numeric that a double cannot hold exactly stays the decimal text.
    expect(t.rows[2]!.values()[2]).toBe('123456789012345678901234.5');
    expect(t.rows[1]!.values()[2]).toBeNull();
    expect(t.columns.values().map((c) => c.name)).toEqual(['id', 'name', 'amount']);
    expect(String(t.columns.values()[1]!.data_type)).toBe('Text');
  });

  it('converts driver values: bigint, numeric strings, Date, JSON, ClickHouse 64-bit integers and DateTime text', () => {
    const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    const t = AgateTable.fromQueryResult(
      [
        { name: 'big', dataType: 'bigint' },
        { name: 'huge', dataType: 'bigint' },
        { name: 'ts', dataType: 'timestamp without time zone' },
        { name: 'tstz', dataType: 'timestamp with time zone' },
        { name: 'doc', dataType: 'jsonb' },
        { name: 'u64', dataType: 'Nullable(UInt64)' },
        { name: 'chts', dataType: 'DateTime' },
        { name: 'dec', dataType: 'Decimal(38, 10)' },
      ],
      [{ big: 42n, huge: 9007199254740993n, ts: when, tstz: when, doc: { a: [1, 2] }, u64: '18446744073709551615', chts: '2024-01-02 03:04:05', dec: '1.2500000000' }],
      clickhouseRules,
    );
    const [big, huge, ts, tstz, doc, u64, chts, dec] = t.rows[0]!.values();
    expect(big).toBe(42);
    expect(huge).toBe('9007199254740993');
    expect(ts).toBeInstanceOf(PyDatetime);
    expect(String(ts)).toBe('2024-01-02 03:04:05');
    expect(String(tstz)).toBe('2024-01-02 03:04:05+00:00');
    expect(doc).toBe('{"a": [1, 2]}');
    expect(u64).toBe('18446744073709551615');
    expect(String(chts)).toBe('2024-01-02 03:04:05');
    expect(dec).toBe(1.25);
    expect([...typeNamesOf(t)]).toEqual(['Integer', 'Integer', 'DateTime', 'DateTime', 'Text', 'Integer', 'DateTime', 'Number']);
  });

  it('infers types from values when the driver gives no type name', () => {
    const t = AgateTable.fromQueryResult(
      [{ name: 'i' }, { name: 'f' }, { name: 'b' }, { name: 's' }, { name: 'n', dataType: null }],
      [
        { i: 1, f: 1.5, b: true, s: 'x', n: null },
        { i: 2n, f: 2, b: false, s: 'y', n: null },
      ],
    RULES,
    );
    expect([...typeNamesOf(t)]).toEqual(['Integer', 'Number', 'Boolean', 'Text', 'Text']);
  });

  it('takes the columns from the rows when the result lists none, and renames repeated names', () => {
    expect([...AgateTable.fromQueryResult([], [{ x: 1, y: 2 }], RULES).column_names]).toEqual(['x', 'y']);
    const dup = AgateTable.fromQueryResult([{ name: 'a' }, { name: 'a' }], [{ a: 1 }], RULES);
    expect([...dup.column_names]).toEqual(['a', 'a_2']);
  });

  it('maps warehouse type names to agate types, as each dialect reads them', () => {
    expect(agateTypeOf('integer', postgresRules)).toBe('Integer');
    expect(agateTypeOf('int4', postgresRules)).toBe('Integer');
    expect(agateTypeOf('oid', postgresRules)).toBe('Integer');
    expect(agateTypeOf('numeric(10,2)', postgresRules)).toBe('Number');
    expect(agateTypeOf('double precision', postgresRules)).toBe('Number');
    expect(agateTypeOf('float8', postgresRules)).toBe('Number');
    expect(agateTypeOf('interval', postgresRules)).toBe('Text');
    expect(agateTypeOf('integer[]', postgresRules)).toBe('Text');
    expect(agateTypeOf('boolean', postgresRules)).toBe('Boolean');
    expect(agateTypeOf('date', postgresRules)).toBe('Date');
    expect(agateTypeOf('timestamptz', postgresRules)).toBe('DateTime');
    expect(agateTypeOf('timestamp(3) without time zone', postgresRules)).toBe('DateTime');
    expect(agateTypeOf('character varying(20)', postgresRules)).toBe('Text');
    expect(agateTypeOf('Int64', clickhouseRules)).toBe('Integer');
    expect(agateTypeOf('LowCardinality(Nullable(UInt8))', clickhouseRules)).toBe('Integer');
    expect(agateTypeOf('Float64', clickhouseRules)).toBe('Number');
    expect(agateTypeOf('Decimal64(2)', clickhouseRules)).toBe('Number');
    expect(agateTypeOf('Array(Int32)', clickhouseRules)).toBe('Text');
    expect(agateTypeOf('Date32', clickhouseRules)).toBe('Date');
    expect(agateTypeOf('DateTime64(3)', clickhouseRules)).toBe('DateTime');
    expect(agateTypeOf("Nullable(DateTime('UTC'))", clickhouseRules)).toBe('DateTime');
    expect(agateTypeOf('Bool', clickhouseRules)).toBe('Boolean');
    expect(agateTypeOf(null, postgresRules)).toBeNull();
  });

  it('converts decimal text only when the number has exactly its value', () => {
    expect(decimalToNumber('10.50')).toBe(10.5);
    expect(decimalToNumber('-0.000')).toBe(-0);
    expect(decimalToNumber('1e21')).toBe(1e21);
    expect(decimalToNumber('12345678901234567890')).toBe('12345678901234567890');
    expect(decimalToNumber('0.1000000000000000000001')).toBe('0.1000000000000000000001');
    expect(decimalToNumber('NaN')).toBeNaN();
    expect(decimalToNumber('abc')).toBe('abc');
  });

  it('serialises as a list of row dicts', () => {
    const t = AgateTable.fromQueryResult(
      [{ name: 'id', dataType: 'integer' }, { name: 'at', dataType: 'timestamp' }],
      [{ id: 1, at: new Date(Date.UTC(2024, 0, 1)) }],
      RULES,
    );
    expect(JSON.parse(JSON.stringify(t))).toEqual([{ id: 1, at: '2024-01-01T00:00:00' }]);
  });

  it('select, exclude and limit give new tables', () => {
    const t = sample();
    const s = t.select(['amount', 'id']);
    expect([...s.column_names]).toEqual(['amount', 'id']);
    expect([...typeNamesOf(s)]).toEqual(['Number', 'Integer']);
    expect([...s.rows[0]!.values()]).toEqual([10.5, 1]);
    expect([...t.exclude('name').column_names]).toEqual(['id', 'amount']);
    expect(t.limit(2).rows).toHaveLength(2);
    expect(() => t.select(['nope'])).toThrow(/no column 'nope'/);
  });

  it('rename takes a dict (old to new; the rest stay) or a list of every name, and keeps types and rows', () => {
    const upper = AgateTable.fromQueryResult([{ name: 'ID', dataType: 'integer' }, { name: 'Name', dataType: 'text' }], [{ ID: 7, Name: 'x' }], RULES);
    // Elementary's run_query: {% set t = t.rename({c: c.lower() ...}) %}
    const lowered = render("{% set m = {} %}{% for c in t.column_names %}{% do m.update({c: c.lower()}) %}{% endfor %}{% set r = t.rename(m) %}{{ r.column_names }} {{ r.rows[0]['id'] }} {{ r.rows[0].name }}", { t: upper });
    expect(lowered).toBe("('id', 'name') 7 x");
    const renamed = sample().rename({ name: 'label' });
    expect([...renamed.column_names]).toEqual(['id', 'label', 'amount']);
    expect([...typeNamesOf(renamed)]).toEqual(['Integer', 'Text', 'Number']);
    expect([...sample().rename(['a', 'b', 'c']).column_names]).toEqual(['a', 'b', 'c']);
    expect(() => sample().rename(['a'])).toThrow(/1 names given for 3 columns/);
  });

  it("group_by(column) gives agate's TableSet: each key's rows as a table, keys in first-seen order", () => {
    // Elementary 0.14's get_artifacts_hashes: {% for model, hashes in t.group_by("artifacts_model").items() %}
    const template =
      "{% set groups = t.group_by('name') %}{{ groups.key_name }} {{ groups | length }}" +
      "{% for key, table in groups.items() %} {{ key }}={{ table.columns['id'].values() | list }}{% endfor %}" +
      " {{ groups['b'].rows[0]['id'] }} {{ groups.get('zz') }} {{ groups.keys() | list }}";
    expect(render(template, { t: sample() })).toBe("name 2 a=[1, 3] b=[2] 2 None ['a', 'b']");
    const byNumber = sample().group_by('id');
    expect([...byNumber.keys()]).toEqual([1, 2, 3]);
    expect([...typeNamesOf(byNumber.values()[0]!)]).toEqual(['Integer', 'Text', 'Number']);
    const empty = sample().limit(0).group_by('name');
    expect([empty.keys().length, empty.values().length]).toEqual([0, 1]);
    expect(() => sample().group_by('nope')).toThrow(/group_by\(\): the table has no column 'nope'/);
  });

  // Expected outputs from agate 1.9 (Table.order_by / Table.distinct): None sorts first (NullOrder),
  // equal keys keep their order, also with reverse=True.
  it('order_by(key, reverse) and distinct(key) as agate gives them', () => {
    const ids = (template: string) => render(template, { t: sample() });
    expect(ids("{{ t.order_by('amount').columns['id'].values() | list }} {{ t.order_by('amount', reverse=True).columns['id'].values() | list }}")).toBe('[2, 1, 3] [3, 1, 2]');
    expect(ids("{{ t.order_by(['name', 'id'], reverse=True).columns['id'].values() | list }} {{ t.order_by(key='name').columns['id'].values() | list }}")).toBe('[2, 3, 1] [1, 3, 2]');
    expect(ids("{% macro by_len(row) %}{{ row['id'] % 2 }}{% endmacro %}{{ t.order_by(by_len).columns['id'].values() | list }}")).toBe('[2, 1, 3]');
    expect(ids("{{ t.distinct('name').columns['id'].values() | list }} {{ t.distinct().rows | length }} {{ t.distinct(['name', 'amount']) | length }}")).toBe('[1, 2] 3 3');
    expect(() => sample().order_by('nope')).toThrow(/order_by\(\): the table has no column 'nope'/);
  });
});

describe('AgateTable in templates', () => {
  const t = sample();

  it("is false when it has no rows, as agate's Table, MappedSequence and Column have __len__ (Elementary's result_value)", () => {
    const empty = AgateTable.fromQueryResult([{ name: 'generated_at', dataType: 'timestamp' }], [], RULES);
    const macro = '{% macro result_value(result) %}{% if not result %}{% do return(none) %}{% endif %}{% do return(result[0][0]) %}{% endmacro %}';
    expect(render(`${macro}{{ result_value(empty) }}|{{ result_value(t) }}`, { empty, t })).toBe('None|1');
    const truth = (expr: string) => `{{ 'T' if ${expr} else 'F' }}`;
    const exprs = ['empty.rows', 'empty.columns[0]', 'empty.rename({"generated_at": "g"})', 't.rows', 't.columns[0]', 't.rows[0]'];
    expect(render(exprs.map(truth).join(''), { empty, t })).toBe('FFFTTT');
  });

  it('iterates rows; rows read by name, position and attribute', () => {
    expect(render("{% for row in t %}{{ row['id'] }}:{{ row.name }}:{{ row[2] }};{% endfor %}", { t })).toBe(
      '1:a:10.5;2:b:None;3:a:123456789012345678901234.5;',
    );
    expect(render('{{ t.rows[0][0] }} {{ t.rows[0][1] }} {{ t.rows[-1][-3] }} {{ t.rows[1]["amount"] }}', { t })).toBe('1 a 3 None');
  });

  it('iterating a row gives its values; keys/values/items/dict/get', () => {
    expect(render('{% for v in t.rows[0] %}[{{ v }}]{% endfor %}', { t })).toBe('[1][a][10.5]');
    expect(render('{{ t.rows[0].keys() | join(",") }}', { t })).toBe('id,name,amount');
    expect(render('{{ t.rows[0].values() }}', { t })).toBe("(1, 'a', 10.5)");
    expect(render('{% for k, v in t.rows[0].items() %}{{ k }}={{ v }} {% endfor %}', { t })).toBe('id=1 name=a amount=10.5 ');
    expect(render("{{ t.rows[0].dict() }} {{ t.rows[0].get('name') }} {{ t.rows[0].get('zz', 'd') }}", { t })).toBe(
      "{'id': 1, 'name': 'a', 'amount': 10.5} a d",
    );
    expect(render('{{ t.rows[0] }}', { t })).toBe("<agate.Row: (1, 'a', 10.5)>");
  });

  it('columns by position and name; values, values_distinct, column[i]', () => {
    expect(render('{{ t.columns[0].values() }}', { t })).toBe('(1, 2, 3)');
    expect(render("{{ t.columns['name'].values_distinct() }} {{ t.columns.name.name }}", { t })).toBe("('a', 'b') name");
    expect(render("{{ t.columns[1][0] }} {{ t.columns['id'][-1] }} {{ t.columns[2].data_type }}", { t })).toBe('a 3 Number');
    expect(render('{% for c in t.columns %}{{ c.name }}/{{ c | length }} {% endfor %}', { t })).toBe('id/3 name/3 amount/3 ');
    expect(render("{{ t.columns | map(attribute='name') | join('|') }}", { t })).toBe('id|name|amount');
    expect(render('{{ t.columns[0].values() | sum }}', { t })).toBe('6');
  });

  it("column types are agate DataType objects: jsonify gives a float for Number, the value for Integer and Boolean, isoformat for dates, the text otherwise", () => {
    const typed = AgateTable.fromQueryResult(
      [
        { name: 'id', dataType: 'integer' },
        { name: 'name', dataType: 'text' },
        { name: 'amount', dataType: 'numeric' },
        { name: 'ok', dataType: 'boolean' },
        { name: 'at', dataType: 'timestamp without time zone' },
      ],
      [{ id: 7, name: 'a', amount: '2', ok: true, at: '2022-01-02 03:04:05' }],
      RULES,
    );
    const jsonified = "{% for c in t.columns %}{{ c.name }}={{ c.data_type.jsonify(t.rows[0][c.name]) }} {% endfor %}";
    expect(render(jsonified, { t: typed })).toBe('id=7 name=a amount=2.0 ok=True at=2022-01-02T03:04:05 ');
    expect(render("{{ t.columns['amount'].data_type.jsonify(none) }} {{ t.columns['amount'].data_type.csvify(t.rows[0].amount) }}", { t: typed })).toBe('None 2');
    expect(render("{{ t.column_types[0].jsonify(3) is number }} {{ t.columns['name'].data_type.jsonify(3) is string }}", { t: typed })).toBe('True True');
    expect(render("{{ t.columns['at'].data_type.csvify(t.rows[0].at) }} {{ t.column_types[2] == t.columns['amount'].data_type }}", { t: typed })).toBe('2022-01-02T03:04:05 True');
  });

  it("to_json(path) writes the rows as agate does: each value through its type's jsonify, into a folder it makes; newline and key too", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agate-json-'));
    try {
      const t = AgateTable.fromQueryResult(
        [
          { name: 'id', dataType: 'integer' },
          { name: 'name', dataType: 'text' },
          { name: 'amount', dataType: 'numeric' },
        ],
        [
          { id: 7, name: 'a', amount: '2' },
          { id: 8, name: null, amount: '0.5' },
        ],
        RULES,
      );
      const file = (name: string) => path.join(dir, 'out', name);
      expect(render("{% do t.to_json(p1) %}{% do t.to_json(p2, newline=true) %}{% do t.to_json(p3, key='id', indent=2) %}", { t, p1: file('a.json'), p2: file('b.json'), p3: file('c.json') })).toBe('');
      expect(readFileSync(file('a.json'), 'utf8')).toBe('[{"id": 7, "name": "a", "amount": 2.0}, {"id": 8, "name": null, "amount": 0.5}]');
      expect(readFileSync(file('b.json'), 'utf8')).toBe('{"id": 7, "name": "a", "amount": 2.0}\n{"id": 8, "name": null, "amount": 0.5}\n');
      expect(JSON.parse(readFileSync(file('c.json'), 'utf8'))).toEqual({ '7': { id: 7, name: 'a', amount: 2 }, '8': { id: 8, name: null, amount: 0.5 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names, types, length, truthiness, tojson', () => {
    expect(render("{{ t.column_names | join(',') }} {{ t.column_types | join(',') }}", { t })).toBe('id,name,amount Integer,Text,Number');
    expect(render('{{ t | length }} {{ t.rows | length }} {{ t.rows[0] | length }}', { t })).toBe('3 3 3');
    const empty = AgateTable.fromQueryResult([{ name: 'x', dataType: 'integer' }], [], RULES);
    // agate's Table has __len__ (its rows): an empty one is false.
    expect(render('{% if e %}truthy{% endif %} {{ e | length }} {{ e.rows | length }}', { e: empty })).toBe(' 0 0');
    expect(render("{{ t.select(['id']) | tojson }}", { t })).toBe('[{"id": 1}, {"id": 2}, {"id": 3}]');
    expect(render("{{ 'id' in t.column_names }} {{ t.rows[0].name == 'a' }}", { t })).toBe('True True');
  });

  it('missing columns raise when used, like any undefined attribute', () => {
    expect(render('[{{ t.rows[0].nope }}]', { t })).toBe('[]');
    expect(() => render('{{ t.rows[0].nope.x }}', { t })).toThrow(/has no attribute 'nope'/);
  });

  it('rows can be sliced and filtered like lists', () => {
    expect(render("{% for r in t.rows[1:] %}{{ r.id }}{% endfor %} {{ t.rows | selectattr('name', 'equalto', 'a') | map(attribute='id') | join(',') }}", { t })).toBe('23 1,3');
  });

  it('a column named like a method reads through get()', () => {
    const m = AgateTable.fromQueryResult([{ name: 'values', dataType: 'integer' }, { name: '1', dataType: 'text' }], [{ values: 7, 1: 'one' }], RULES);
    expect(render("{{ r.get('values') }} {{ r.get('1') }} {{ r[1] }}", { r: m.rows[0] })).toBe('7 one one');
  });
});

describe('print_table', () => {
  afterEach(() => setAgateTableOutput(null));

  it('writes an aligned text table and returns an empty string', () => {
    let out = '';
    const t = AgateTable.fromQueryResult(
      [{ name: 'id', dataType: 'integer' }, { name: 'label', dataType: 'text' }, { name: 'amount', dataType: 'numeric' }],
      [{ id: 1, label: 'a', amount: '1234.5' }, { id: 22, label: null, amount: '2.25' }],
      RULES,
      { output: (text: string) => (out += text) },
    );
    expect(render('[{{ t.print_table() }}]', { t })).toBe('[]');
    expect(out).toBe(
      [
        '| id | label |   amount |',
        '| -- | ----- | -------- |',
        '|  1 | a     | 1,234.50 |',
        '| 22 |       |     2.25 |',
        '',
      ].join('\n'),
    );
  });

  it("as agate: dbt's Integer prints as str() (no grouping), every column but Text is right-justified", () => {
    let out = '';
    const t = AgateTable.fromQueryResult(
      [{ name: 'record_count', dataType: 'bigint' }, { name: 'ok', dataType: 'boolean' }, { name: 'day', dataType: 'date' }],
      [{ record_count: 12184, ok: true, day: '2024-01-02' }],
      RULES,
      { output: (text: string) => (out += text) },
    );
    render('{% do t.print_table() %}', { t });
    expect(out).toBe(['| record_count |   ok |        day |', '| ------------ | ---- | ---------- |', '|        12184 | True | 2024-01-02 |', ''].join('\n'));
  });

  it('truncates rows, columns and wide values; the module output receives it', () => {
    let out = '';
    setAgateTableOutput({ write: (text: string) => (out += text) });
    const t = AgateTable.fromQueryResult(
      [{ name: 'a', dataType: 'text' }, { name: 'b', dataType: 'text' }, { name: 'c', dataType: 'text' }],
      [{ a: 'x'.repeat(30), b: 'y', c: 'z' }, { a: 'p', b: 'q', c: 'r' }, { a: 's', b: 't', c: 'u' }],
      RULES,
    );
    render('{% do t.print_table(max_rows=1, max_columns=2, max_column_width=10) %}', { t });
    expect(out).toBe(
      [
        '| a          | b   | ... |',
        '| ---------- | --- | --- |',
        '| xxxxxxx... | y   | ... |',
        '| ...        | ... | ... |',
        '',
      ].join('\n'),
    );
  });
});
