// dbt-adapters' BaseRelation.matches(database=None, schema=None, identifier=None): whether a
// relation is the one named by the parts given (None parts are not compared). A part matches
// exactly when it is equal, or, where the relation does not quote that part, equal ignoring case
// (the warehouse folds it). A relation that matches only ignoring case and the quote characters is
// ambiguous: dbt refuses to guess (ApproximateMatchError) rather than answer either way.

export type MatchPart = 'database' | 'schema' | 'identifier';

export interface MatchableRelation {
  readonly database: string | null;
  readonly schema: string | null;
  readonly identifier: string;
  readonly quote_policy: Record<MatchPart, boolean>;
  /** The quote character of the relation's warehouse (`"` on PostgreSQL, `` ` `` on ClickHouse). */
  readonly quote_character: string;
  render(): string;
}

const PARTS: readonly MatchPart[] = ['database', 'schema', 'identifier'];

/** Positional and keyword arguments of a template call, as Python binds them to (database, schema, identifier). */
export function matchSearch(args: unknown[]): Partial<Record<MatchPart, string>> {
  const last = args[args.length - 1];
  const keywords = last && typeof last === 'object' && '__keywords' in last ? (last as Record<string, unknown>) : null;
  const positional = keywords ? args.slice(0, -1) : args;
  if (positional.length > PARTS.length) throw new Error(`relation.matches() takes at most 3 arguments (${positional.length} given)`);
  const search: Partial<Record<MatchPart, string>> = {};
  PARTS.forEach((part, i) => {
    const value = i < positional.length ? positional[i] : keywords?.[part];
    if (i < positional.length && keywords && part in keywords) throw new Error(`relation.matches() got multiple values for argument '${part}'`);
    if (value !== null && value !== undefined) search[part] = String(value);
  });
  for (const key of Object.keys(keywords ?? {})) {
    if (key !== '__keywords' && !PARTS.includes(key as MatchPart)) throw new Error(`relation.matches() got an unexpected keyword argument '${key}'`);
  }
  return search;
}

export function relationMatches(relation: MatchableRelation, search: Partial<Record<MatchPart, string>>): boolean {
  const given = PARTS.filter((part) => search[part] !== undefined);
  if (given.length === 0) throw new Error('Tried to match relation, but no search path was passed!');
  const q = relation.quote_character;
  const strip = (text: string) => (q ? text.split(q).join('') : text);
  let exact = true;
  let approximate = true;
  for (const part of given) {
    const value = search[part] as string;
    const own = relation[part] ?? '';
    const exactish = relation.quote_policy[part] === false ? own.toLowerCase() === value.toLowerCase() : own === value;
    if (!exactish) exact = false;
    if (strip(own.toLowerCase()) !== strip(value.toLowerCase())) approximate = false;
  }
  if (approximate && !exact) {
    const searched = given.map((part) => search[part]).join('.');
    throw new Error(
      `When searching for a relation, dbt found an approximate match. Instead of guessing\nwhich relation to use, dbt will move on. Please delete ${relation.render()}, or rename it to be less ambiguous.\nSearched for: ${searched}\nFound: ${relation.render()}`,
    );
  }
  return exact;
}
