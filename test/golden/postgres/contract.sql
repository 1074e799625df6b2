-- ==== run 1: run ====

-- [no node]
select n.oid is not null as schema_exists, c.relname as name, c.relkind::text as relkind,
       exists (select 1 from pg_catalog.pg_depend d
               where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = c.oid and d.deptype = 'n'
                 and not (d.classid = 'pg_catalog.pg_rewrite'::regclass
                          and exists (select 1 from pg_catalog.pg_rewrite r where r.oid = d.objid and r.ev_class = c.oid))) as has_dependents,
       (c.relacl is not null or c.reloptions is not null
        or exists (select 1 from pg_catalog.pg_description ds where ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass)) as decorated
from (select 1) as one
left join pg_catalog.pg_namespace n on n.nspname = 'golden'
left join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relkind in ('r', 'p', 'v', 'm', 'f');
begin;
create schema if not exists "golden";
commit;
begin;
create temporary view "tsdbt_describe_1" as

select 1 as id, 'a' as name;
select a.attname as column_name,
       pg_catalog.format_type(coalesce(base_domain.typid, a.atttypid), case when base_domain.typid is null then a.atttypmod else base_domain.typmod end) as data_type,
       not a.attnotnull as is_nullable,
       pg_catalog.col_description(a.attrelid, a.attnum) as column_comment
from pg_catalog.pg_attribute a
left join lateral (
  with recursive chain(typid, typmod, depth) as (
    select t.typbasetype, t.typtypmod, 1 from pg_catalog.pg_type t where t.oid = a.atttypid and t.typtype = 'd'
    union all
    select t.typbasetype, t.typtypmod, chain.depth + 1 from chain join pg_catalog.pg_type t on t.oid = chain.typid
    where t.typtype = 'd'
  )
  select typid, typmod from chain order by depth desc limit 1
) base_domain on true
where a.attrelid = to_regclass('"tsdbt_describe_1"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;
drop view if exists "tsdbt_describe_1";
commit;
begin;

-- [model.demo.c]
create table "postgres"."golden"."c" (
    id integer not null primary key,
    name text unique,
    constraint id_positive check (id > 0)
);
insert into "postgres"."golden"."c" (
    id, name
)
(
    select id, name
    from (

select 1 as id, 'a' as name
    ) as model_subq
);

-- [no node]
commit;

-- ==== run 2: run ====

-- [no node]
select n.oid is not null as schema_exists, c.relname as name, c.relkind::text as relkind,
       exists (select 1 from pg_catalog.pg_depend d
               where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = c.oid and d.deptype = 'n'
                 and not (d.classid = 'pg_catalog.pg_rewrite'::regclass
                          and exists (select 1 from pg_catalog.pg_rewrite r where r.oid = d.objid and r.ev_class = c.oid))) as has_dependents,
       (c.relacl is not null or c.reloptions is not null
        or exists (select 1 from pg_catalog.pg_description ds where ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass)) as decorated
from (select 1) as one
left join pg_catalog.pg_namespace n on n.nspname = 'golden'
left join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relkind in ('r', 'p', 'v', 'm', 'f');
begin;
create temporary view "tsdbt_describe_1" as

select 1 as id, 'a' as name;
select a.attname as column_name,
       pg_catalog.format_type(coalesce(base_domain.typid, a.atttypid), case when base_domain.typid is null then a.atttypmod else base_domain.typmod end) as data_type,
       not a.attnotnull as is_nullable,
       pg_catalog.col_description(a.attrelid, a.attnum) as column_comment
from pg_catalog.pg_attribute a
left join lateral (
  with recursive chain(typid, typmod, depth) as (
    select t.typbasetype, t.typtypmod, 1 from pg_catalog.pg_type t where t.oid = a.atttypid and t.typtype = 'd'
    union all
    select t.typbasetype, t.typtypmod, chain.depth + 1 from chain join pg_catalog.pg_type t on t.oid = chain.typid
    where t.typtype = 'd'
  )
  select typid, typmod from chain order by depth desc limit 1
) base_domain on true
where a.attrelid = to_regclass('"tsdbt_describe_1"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;
drop view if exists "tsdbt_describe_1";
commit;
begin;

-- [model.demo.c]
drop table if exists "postgres"."golden"."c__dbt_tmp" cascade;
create table "postgres"."golden"."c__dbt_tmp" (
    id integer not null primary key,
    name text unique,
    constraint id_positive check (id > 0)
);
insert into "postgres"."golden"."c__dbt_tmp" (
    id, name
)
(
    select id, name
    from (

select 1 as id, 'a' as name
    ) as model_subq
);

-- [no node]
do $tsdbt$
declare
  target_oid regclass := to_regclass('"golden"."c"');
  staging_oid regclass := to_regclass('"golden"."c__dbt_tmp"');
  drops jsonb := '{"r":"drop table if exists \"postgres\".\"golden\".\"c\" cascade","p":"drop table if exists \"postgres\".\"golden\".\"c\" cascade","v":"drop view if exists \"postgres\".\"golden\".\"c\" cascade","m":"drop materialized view if exists \"postgres\".\"golden\".\"c\" cascade","f":"drop foreign table if exists \"postgres\".\"golden\".\"c\" cascade"}'::jsonb;
  renames jsonb := '{"":"alter table \"postgres\".\"golden\".\"c__dbt_tmp\" rename to \"c\"","r":"alter table \"postgres\".\"golden\".\"c__dbt_tmp\" rename to \"c\"","p":"alter table \"postgres\".\"golden\".\"c__dbt_tmp\" rename to \"c\"","v":"alter view \"postgres\".\"golden\".\"c__dbt_tmp\" rename to \"c\"","m":"alter materialized view \"postgres\".\"golden\".\"c__dbt_tmp\" rename to \"c\"","f":"alter foreign table \"postgres\".\"golden\".\"c__dbt_tmp\" rename to \"c\""}'::jsonb;
  target_kind text;
  staging_kind text;
  views jsonb;
  view jsonb;
  statement text;
  others bigint;
begin
  if exists (select 1 from pg_catalog.pg_depend d
    join pg_catalog.pg_rewrite r on r.oid = d.objid
    where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.refobjid = target_oid and r.ev_class <> target_oid) then
    perform pg_advisory_xact_lock(hashtextextended('tsdbt:dependent-views', 0));
  end if;
  select relkind::text into target_kind from pg_catalog.pg_class where oid = target_oid;
  select relkind::text into staging_kind from pg_catalog.pg_class where oid = staging_oid;
  if target_kind in ('r', 'p') then
    begin
      with recursive dependents(oid, depth) as (
          select r.ev_class, 1 from pg_catalog.pg_depend d
      join pg_catalog.pg_rewrite r on r.oid = d.objid
      where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
        and d.refobjid = target_oid and r.ev_class <> target_oid
        union
          select r.ev_class, dep.depth + 1
          from dependents dep
          join pg_catalog.pg_depend d on d.refobjid = dep.oid
            and d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
          join pg_catalog.pg_rewrite r on r.oid = d.objid
          where r.ev_class <> dep.oid
      )
      select count(*) from dependents dep join pg_catalog.pg_class c on c.oid = dep.oid where c.relkind <> 'v'
      into others;
      if others = 0 then
        select jsonb_agg(format(E'create or replace view %I.%I%s as\n%s', n.nspname, c.relname,
            case when coalesce(cardinality(c.reloptions), 0) = 0 then '' else format(' with (%s)', array_to_string(c.reloptions, ', ')) end,
            regexp_replace(btrim(pg_catalog.pg_get_viewdef(c.oid), E' \t\r\n'), ';\s*$', '')) order by c.oid)
        from (select distinct r.ev_class as oid from pg_catalog.pg_depend d
          join pg_catalog.pg_rewrite r on r.oid = d.objid
          where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
            and d.refobjid = target_oid and r.ev_class <> target_oid) v
        join pg_catalog.pg_class c on c.oid = v.oid
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        into views;
        execute format('alter table %s rename to %I', target_oid, 'tsdbt_swap_' || target_oid::oid::text);
        execute coalesce(renames ->> staging_kind, renames ->> '');
        for statement in select value from jsonb_array_elements_text(coalesce(views, '[]'::jsonb)) loop
          execute statement;
        end loop;
        execute format('drop table %s', target_oid);
        return;
      end if;
    exception when others then null;
    end;
  end if;
  with recursive dependents(oid, depth) as (
      select r.ev_class, 1 from pg_catalog.pg_depend d
  join pg_catalog.pg_rewrite r on r.oid = d.objid
  where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.refobjid = target_oid and r.ev_class <> target_oid
    union
      select r.ev_class, dep.depth + 1
      from dependents dep
      join pg_catalog.pg_depend d on d.refobjid = dep.oid
        and d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
      join pg_catalog.pg_rewrite r on r.oid = d.objid
      where r.ev_class <> dep.oid
  )
  , views as (select oid, max(depth) as depth from dependents group by oid)
  select coalesce(jsonb_agg(s.statements order by s.depth, s.oid), '[]'::jsonb) from (
    select v.depth, c.oid,
      jsonb_build_array(format(E'create %s %I.%I%s as\n%s', k.kind, n.nspname, c.relname,
          case when coalesce(cardinality(c.reloptions), 0) = 0 then '' else format(' with (%s)', array_to_string(c.reloptions, ', ')) end,
          regexp_replace(btrim(pg_catalog.pg_get_viewdef(c.oid), E' \t\r\n'), ';\s*$', '')))
      || coalesce((select jsonb_build_array(format('comment on %s %I.%I is %L', k.kind, n.nspname, c.relname, ds.description))
            from pg_catalog.pg_description ds
           where ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass and ds.objsubid = 0), '[]'::jsonb)
      || coalesce((select jsonb_agg(format('comment on column %I.%I.%I is %L', n.nspname, c.relname, a.attname, ds.description) order by a.attnum)
            from pg_catalog.pg_attribute a
            join pg_catalog.pg_description ds on ds.objoid = a.attrelid and ds.objsubid = a.attnum
              and ds.classoid = 'pg_catalog.pg_class'::regclass
           where a.attrelid = c.oid and a.attnum > 0), '[]'::jsonb)
      || coalesce((select jsonb_agg(format('grant %s on %I.%I to %s%s', x.privilege_type, n.nspname, c.relname,
                   case when x.grantee = 0 then 'public' else quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) end,
                   case when x.is_grantable then ' with grant option' else '' end))
            from pg_catalog.aclexplode(c.relacl) x where x.grantee <> c.relowner), '[]'::jsonb) as statements
    from views v
    join pg_catalog.pg_class c on c.oid = v.oid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    cross join lateral (select case when c.relkind = 'm' then 'materialized view' else 'view' end as kind) k
  ) s
  into views;
  statement := drops ->> target_kind;
  if statement is not null then
    execute statement;
  end if;
  execute coalesce(renames ->> staging_kind, renames ->> '');
  for view in select value from jsonb_array_elements(views) loop
    begin
      for statement in select value from jsonb_array_elements_text(view) loop
        execute statement;
      end loop;
    exception when others then null;
    end;
  end loop;
end
$tsdbt$;
commit;

