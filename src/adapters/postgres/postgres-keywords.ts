// PostgreSQL's keywords that cannot be a bare column name: the reserved ones and those reserved
// but for function and type names (pg_get_keywords()'s catcode R and T). Written bare,
// `create table t (from text)` is a syntax error; such a name is quoted. The column-name keywords
// (catcode C: `time`, `position`, `values`, ...) and the unreserved ones are column names bare in a
// contracted table's DDL (its column list, constraints and insert), so they are not here. The list
// is PostgreSQL 18's (PGlite's); PostgreSQL 15's is the same less `system_user`.
const WORDS = `
all analyse analyze and any array as asc asymmetric authorization binary both case cast check
collate collation column concurrently constraint create cross current_catalog current_date
current_role current_schema current_time current_timestamp current_user default deferrable desc
distinct do else end except false fetch for foreign freeze from full grant group having ilike in
initially inner intersect into is isnull join lateral leading left like limit localtime
localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
references returning right select session_user similar some symmetric system_user table
tablesample then to trailing true union unique user using variadic verbose when where window
with
`;

/** The reserved keywords of WORDS, lower case. */
export const POSTGRES_RESERVED_KEYWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
