// The server and PGlite must return the same JavaScript values for the same SQL (see
// src/adapters/postgres/postgres-values.ts for the chosen types), so results compare across targets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { dropTestSchema, pgliteTarget, serverTarget, testContext } from '../support/postgres-targets.js';

const QUERY = `
select
  1::smallint as i2, 2 as i4, 3::bigint as i8, 9007199254740993::bigint as i8_big,
  1.5::real as f4, 2.25::float8 as f8, 'NaN'::float8 as nan, 12.340::numeric(10,3) as num,
  true as bool, null::text as nothing, ''::text as empty, 'ü"x'::varchar(10) as vc, 'ab'::char(3) as ch,
  date '2024-02-29' as d, timestamp '2024-02-29 23:59:59.123456' as ts,
  timestamptz '2024-02-29 23:59:59+02' as tstz, 'infinity'::timestamp as ts_inf,
  time '10:11:12' as tm, interval '1 day 02:00:00' as iv, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as id,
  '{"a": [1, 2.5, null]}'::json as js, '{"b": true}'::jsonb as jsb, '\\xdeadbeef'::bytea as bin,
  array[1, null, 3] as ints, array['x,y', null, '"q"'] as texts, array[[1.5, 2], [3, 4]]::numeric[] as nums,
  array[date '2024-01-01'] as dates, array[timestamp '2024-01-01 00:00:00'] as stamps, '{}'::int[] as empty_arr
`;

describe('server and PGlite agree on values', () => {
  const server = serverTarget();
  let adapters: Adapter[] = [];

  beforeAll(async () => {
    adapters = [await createAdapter(server, testContext()), await createAdapter(pgliteTarget('memory'), testContext())];
  });

  afterAll(async () => {
    for (const a of adapters) await a.close();
    await dropTestSchema(server);
  });

  it('returns identical rows and columns for the same query', async () => {
    const [onServer, onPglite] = await Promise.all(adapters.map((a) => a.withConnection((c) => c.execute(QUERY))));
    expect(onPglite?.rows).toEqual(onServer?.rows);
    expect(onPglite?.columns).toEqual(onServer?.columns);
    expect(onServer?.rows[0]).toEqual({
      i2: 1,
      i4: 2,
      i8: 3,
      i8_big: '9007199254740993',
      f4: 1.5,
      f8: 2.25,
      nan: Number.NaN,
      num: '12.340',
      bool: true,
      nothing: null,
      empty: '',
      vc: 'ü"x',
      ch: 'ab ',
      d: '2024-02-29',
      ts: new Date('2024-02-29T23:59:59.123Z'),
      tstz: new Date('2024-02-29T21:59:59Z'),
      ts_inf: 'infinity',
      tm: '10:11:12',
      iv: '1 day 02:00:00',
      id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      js: { a: [1, 2.5, null] },
      jsb: { b: true },
      bin: Buffer.from('deadbeef', 'hex'),
      ints: [1, null, 3],
      texts: ['x,y', null, '"q"'],
      nums: [
        ['1.5', '2'],
        ['3', '4'],
      ],
      dates: ['2024-01-01'],
      stamps: [new Date('2024-01-01T00:00:00Z')],
      empty_arr: [],
    });
  });
});
