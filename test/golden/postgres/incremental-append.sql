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
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."inc"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
begin;

-- [model.demo.inc]
create table "postgres"."golden"."inc" as (
select 1 as id, 'v1' as v
union all
select 2 as id, 'v1' as v
);

-- [no node]
commit;

-- ==== run 2: run vars="{version: 2}" ====

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
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."inc"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
begin;

-- [model.demo.inc]
create temporary table "inc__dbt_tmp000000000000" as (
select 2 as id, 'v2' as v
union all
select 3 as id, 'v2' as v
);

-- [no node]
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
where a.attrelid = to_regclass('"golden"."inc"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;
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
where a.attrelid = to_regclass('"inc__dbt_tmp000000000000"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;

-- [model.demo.inc]
insert into "postgres"."golden"."inc" ("id", "v")
select "id", "v" from "inc__dbt_tmp000000000000";
drop table if exists "inc__dbt_tmp000000000000" cascade;

-- [no node]
commit;

