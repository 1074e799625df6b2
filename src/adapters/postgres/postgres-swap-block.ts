// The careful swap (postgres-replace.ts) as one statement the server runs: a PL/pgSQL function of the
// session (or, where the session cannot have it, a `do` block of the same text) that
// reads what is at the target's name and the views built on it, drops it, renames the staging
// relation and re-creates the views. The client never needs the catalog's answers, so the swap
// travels with the node's other statements and its commit: one round trip per node, where reading
// the views' definitions first took a round trip of its own for every table with views on it.
import type { SqlBuilders } from '../adapter.js';
import type { Relation } from '../relation.js';
import { RELKINDS_BY_TYPE, regclassSql } from './postgres-introspector.js';
import { quoteString } from './postgres-sql.js';

/** `from ... where ...` of the views (rewrite rules) built directly on the relation whose oid `oid` (SQL) is. */
export function directDependents(oid: string): string {
  return [
    'from pg_catalog.pg_depend d',
    'join pg_catalog.pg_rewrite r on r.oid = d.objid',
    "where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass",
    `  and d.refobjid = ${oid} and r.ev_class <> ${oid}`,
  ].join('\n');
}

/** `with recursive dependents(oid, depth) as (...)`: the views depending (directly or through other views) on the relation whose oid `oid` (SQL) is, with each path's length. */
function dependentsCte(oid: string): string[] {
  return [
    'with recursive dependents(oid, depth) as (',
    `    select r.ev_class, 1 ${directDependents(oid)}`,
    '  union',
    '    select r.ev_class, dep.depth + 1',
    '    from dependents dep',
    '    join pg_catalog.pg_depend d on d.refobjid = dep.oid',
    "      and d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass",
    '    join pg_catalog.pg_rewrite r on r.oid = d.objid',
    '    where r.ev_class <> dep.oid',
    ')',
  ];
}

/**
 * The views depending (directly or through other views) on the relation whose oid `oid` (SQL) is,
 * as one JSON array in dependency order: for each view, the statements that re-create it (create,
 * its comment and its columns' comments, its grants).
 */
function dependentViewsSql(oid: string): string {
  const name = 'n.nspname, c.relname';
  return [
    ...dependentsCte(oid),
    ', views as (select oid, max(depth) as depth from dependents group by oid)',
    "select coalesce(jsonb_agg(s.statements order by s.depth, s.oid), '[]'::jsonb) from (",
    '  select v.depth, c.oid,',
    `    jsonb_build_array(format(E'create %s %I.%I%s as\\n%s', k.kind, ${name},`,
    "        case when coalesce(cardinality(c.reloptions), 0) = 0 then '' else format(' with (%s)', array_to_string(c.reloptions, ', ')) end,",
    "        regexp_replace(btrim(pg_catalog.pg_get_viewdef(c.oid), E' \\t\\r\\n'), ';\\s*$', '')))",
    "    || coalesce((select jsonb_build_array(format('comment on %s %I.%I is %L', k.kind, " + name + ', ds.description))',
    '          from pg_catalog.pg_description ds',
    "         where ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass and ds.objsubid = 0), '[]'::jsonb)",
    "    || coalesce((select jsonb_agg(format('comment on column %I.%I.%I is %L', " + name + ', a.attname, ds.description) order by a.attnum)',
    '          from pg_catalog.pg_attribute a',
    '          join pg_catalog.pg_description ds on ds.objoid = a.attrelid and ds.objsubid = a.attnum',
    "            and ds.classoid = 'pg_catalog.pg_class'::regclass",
    "         where a.attrelid = c.oid and a.attnum > 0), '[]'::jsonb)",
    "    || coalesce((select jsonb_agg(format('grant %s on %I.%I to %s%s', x.privilege_type, " + name + ',',
    "                 case when x.grantee = 0 then 'public' else quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) end,",
    "                 case when x.is_grantable then ' with grant option' else '' end))",
    "          from pg_catalog.aclexplode(c.relacl) x where x.grantee <> c.relowner), '[]'::jsonb) as statements",
    '  from views v',
    '  join pg_catalog.pg_class c on c.oid = v.oid',
    '  join pg_catalog.pg_namespace n on n.oid = c.relnamespace',
    "  cross join lateral (select case when c.relkind = 'm' then 'materialized view' else 'view' end as kind) k",
    ') s',
  ].join('\n');
}

/**
 * Taken (until the transaction ends) by every swap that re-creates dependent views. Two nodes of
 * one run whose relations feed the same view (two seeds under one `union all` view) would
 * otherwise each drop and re-create that view: each holds its own relation and waits for the view
 * the other holds (`deadlock detected`), or reads the definition of a view the other just
 * replaced (`could not open relation with OID`). Swaps without dependents never take it.
 */
const DEPENDENT_VIEWS_LOCK = "pg_advisory_xact_lock(hashtextextended('tsdbt:dependent-views', 0))";

/** The swap function's name in the session's temporary schema (`pg_temp.tsdbt_swap`). */
export const SWAP_FUNCTION = 'tsdbt_swap';

/**
 * The swap's PL/pgSQL text after its declarations, over `target_oid` and `staging_oid` (regclass)
 * and `drops` and `renames` (jsonb: a pg_class.relkind -> the adapter's statement for a relation of
 * that kind; `renames`' '' for a staging relation of no known kind). The lock is taken (only when
 * views are built on the target) before any definition is read, as pg_get_viewdef locks the view it
 * reads; the views are re-created in dependency order, each in a subtransaction of its own (a block
 * with an exception handler): a view whose definition no longer fits the new relation is left
 * dropped, as dbt's CASCADE would leave it, and the others are still re-created.
 */
function swapBody(): string[] {
  return [
    '  target_kind text;',
    '  staging_kind text;',
    '  views jsonb;',
    '  view jsonb;',
    '  statement text;',
    '  others bigint;',
    'begin',
    `  if exists (select 1 ${directDependents('target_oid').replace(/\n/g, '\n    ')}) then`,
    `    perform ${DEPENDENT_VIEWS_LOCK};`,
    '  end if;',
    '  select relkind::text into target_kind from pg_catalog.pg_class where oid = target_oid;',
    '  select relkind::text into staging_kind from pg_catalog.pg_class where oid = staging_oid;',
    ...rebindBody(),
    `  ${dependentViewsSql('target_oid').replace(/\n/g, '\n  ')}`,
    '  into views;',
    '  statement := drops ->> target_kind;',
    '  if statement is not null then',
    '    execute statement;',
    '  end if;',
    "  execute coalesce(renames ->> staging_kind, renames ->> '');",
    '  for view in select value from jsonb_array_elements(views) loop',
    '    begin',
    '      for statement in select value from jsonb_array_elements_text(view) loop',
    '        execute statement;',
    '      end loop;',
    '    exception when others then null;',
    '    end;',
    '  end loop;',
    'end',
  ];
}

/**
 * The swap's first way, for a table whose dependents are all plain views: the old table renamed
 * aside, the staging relation renamed into place, each view built directly on the old table given
 * its own definition again (`create or replace view`, read before the rename, so its names are the
 * target's), which binds it to the new table, and the old table dropped without CASCADE. The views
 * keep their oid, so their comments, grants and owner stay and the views built on them (not
 * re-created, as the second way does) stay as they are. In a block of its own: should any step fail
 * (a view whose columns the new table changes, a dependent that is not a view, a foreign key on the
 * old table, a name taken), the block's work is undone and the second way (dependentViewsSql)
 * swaps, re-creating every dependent view.
 */
function rebindBody(): string[] {
  const name = 'n.nspname, c.relname';
  return [
    "  if target_kind in ('r', 'p') then",
    '    begin',
    `      ${dependentsCte('target_oid').join('\n').replace(/\n/g, '\n      ')}`,
    "      select count(*) from dependents dep join pg_catalog.pg_class c on c.oid = dep.oid where c.relkind <> 'v'",
    '      into others;',
    '      if others = 0 then',
    `        select jsonb_agg(format(E'create or replace view %I.%I%s as\\n%s', ${name},`,
    "            case when coalesce(cardinality(c.reloptions), 0) = 0 then '' else format(' with (%s)', array_to_string(c.reloptions, ', ')) end,",
    "            regexp_replace(btrim(pg_catalog.pg_get_viewdef(c.oid), E' \\t\\r\\n'), ';\\s*$', '')) order by c.oid)",
    `        from (select distinct r.ev_class as oid ${directDependents('target_oid').replace(/\n/g, '\n          ')}) v`,
    '        join pg_catalog.pg_class c on c.oid = v.oid',
    '        join pg_catalog.pg_namespace n on n.oid = c.relnamespace',
    '        into views;',
    "        execute format('alter table %s rename to %I', target_oid, 'tsdbt_swap_' || target_oid::oid::text);",
    "        execute coalesce(renames ->> staging_kind, renames ->> '');",
    "        for statement in select value from jsonb_array_elements_text(coalesce(views, '[]'::jsonb)) loop",
    '          execute statement;',
    '        end loop;',
    "        execute format('drop table %s', target_oid);",
    '        return;',
    '      end if;',
    '    exception when others then null;',
    '    end;',
    '  end if;',
  ];
}

/** `text` between dollar quotes of a tag it does not contain. */
function dollarQuoted(text: string): string {
  let tag = '$tsdbt$';
  while (text.includes(tag)) tag = `${tag.slice(0, -1)}_$`;
  return `${tag}\n${text}\n${tag}`;
}

/** The swap's four arguments as SQL: the target's and the staging relation's regclass, `drops` and `renames` (see swapBody). */
function swapArguments(sql: SqlBuilders, staging: Relation, target: Relation): string[] {
  const drops: Record<string, string> = {};
  const renames: Record<string, string> = { '': sql.renameRelation(staging, target.identifier) };
  for (const [type, kinds] of RELKINDS_BY_TYPE) {
    for (const kind of kinds) {
      drops[kind] = sql.dropRelation(target.with({ type }), type);
      renames[kind] = sql.renameRelation(staging.with({ type }), target.identifier);
    }
  }
  const json = (value: Record<string, string>) => `${quoteString(JSON.stringify(value))}::jsonb`;
  return [regclassSql(target.schema, target.identifier), regclassSql(staging.schema, staging.identifier), json(drops), json(renames)];
}

/**
 * The swap as a function of the session's temporary schema, created once per session
 * (postgres-replace.ts): PL/pgSQL compiles a `do` block, and plans its catalog queries, every time
 * it runs, a function once per session. Its arguments are built by the adapter (swapArguments:
 * every identifier quoted there); the function quotes the names of the views it re-creates itself.
 */
export function swapFunctionDefinition(): string {
  const signature = `pg_temp.${SWAP_FUNCTION}(target_oid regclass, staging_oid regclass, drops jsonb, renames jsonb)`;
  return `create or replace function ${signature} returns void language plpgsql as ${dollarQuoted(['declare', ...swapBody()].join('\n'))}`;
}

/** The careful swap through the session's function (swapFunctionDefinition). */
export function swapFunctionCall(sql: SqlBuilders, staging: Relation, target: Relation): string {
  return `select pg_temp.${SWAP_FUNCTION}(${swapArguments(sql, staging, target).join(', ')})`;
}

/** The careful swap as one `do` block (the same text as the function's), where the session cannot have the function. */
export function carefulSwapBlock(sql: SqlBuilders, staging: Relation, target: Relation): string {
  const [targetOid, stagingOid, drops, renames] = swapArguments(sql, staging, target);
  const declarations = [
    'declare',
    `  target_oid regclass := ${targetOid};`,
    `  staging_oid regclass := ${stagingOid};`,
    `  drops jsonb := ${drops};`,
    `  renames jsonb := ${renames};`,
  ];
  return `do ${dollarQuoted([...declarations, ...swapBody()].join('\n'))}`;
}
