// PostgreSQL's built-in type OIDs (pg_type.oid, fixed across versions) of the types psycopg2 has no
// caster for. dbt-postgres's data_type_code_to_name names such a column `unknown type_code <oid>` in
// a contract's mismatch table (`unknown type_code 790` for money); a type missing here (a project's
// own enum, whose OID differs per database) keeps its name.
const BUILTIN_TYPE_OIDS: Readonly<Record<string, number>> = {
  money: 790, 'money[]': 791,
  uuid: 2950, 'uuid[]': 2951,
  inet: 869, 'inet[]': 1041, cidr: 650, 'cidr[]': 651, macaddr: 829, 'macaddr[]': 1040, macaddr8: 774, 'macaddr8[]': 775,
  xml: 142, 'xml[]': 143,
  point: 600, lseg: 601, path: 602, box: 603, polygon: 604, line: 628, circle: 718,
  bit: 1560, 'bit varying': 1562,
  tsvector: 3614, tsquery: 3615, jsonpath: 4072, pg_lsn: 3220,
  int4range: 3904, numrange: 3906, tsrange: 3908, tstzrange: 3910, daterange: 3912, int8range: 3926,
};

/** The OID of a built-in type psycopg2 cannot cast (by its canonical name), else null. */
export function uncastTypeOid(canonical: string): number | null {
  return BUILTIN_TYPE_OIDS[canonical] ?? null;
}

/** `unknown type_code <oid>` for a built-in type psycopg2 cannot cast (by its canonical name), else null. */
export function unknownTypeCode(canonical: string): string | null {
  const oid = uncastTypeOid(canonical);
  return oid === null ? null : `unknown type_code ${oid}`;
}
