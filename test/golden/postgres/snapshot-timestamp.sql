-- ==== run 1: snapshot ====

-- [no node]
select n.oid is not null as schema_exists, c.relname as name, c.relkind::text as relkind,
       exists (select 1 from pg_catalog.pg_depend d
               where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = c.oid and d.deptype = 'n'
                 and not (d.classid = 'pg_catalog.pg_rewrite'::regclass
                          and exists (select 1 from pg_catalog.pg_rewrite r where r.oid = d.objid and r.ev_class = c.oid))) as has_dependents,
       (c.relacl is not null or c.reloptions is not null
        or exists (select 1 from pg_catalog.pg_description ds where ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass)) as decorated
from (select 1) as one
left join pg_catalog.pg_namespace n on n.nspname = 'golden_snapshots'
left join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relkind in ('r', 'p', 'v', 'm', 'f');
begin;
create schema if not exists "golden_snapshots";
commit;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden_snapshots"."snap"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
begin;
create temporary view "tsdbt_describe_1" as
select cast('2024-03-01 00:00:00.000' as timestamp) as snapshot_get_time, updated_at as dbt_updated_at from (


select 1 as id, 'a' as status, cast('2024-01-01 00:00:00' as timestamp) as updated_at
union all
select 2 as id, 'b' as status, cast('2024-01-01 00:00:00' as timestamp) as updated_at
) src;
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

-- [snapshot.demo.snap]
create table "postgres"."golden_snapshots"."snap" as (
select src.*,
    md5(coalesce(cast(src."id" as varchar), '') || '|' || coalesce(cast(updated_at as varchar), '')) as "dbt_scd_id",
    updated_at as "dbt_updated_at",
    updated_at as "dbt_valid_from",
    coalesce(nullif(updated_at, updated_at), null) as "dbt_valid_to"
from (


select 1 as id, 'a' as status, cast('2024-01-01 00:00:00' as timestamp) as updated_at
union all
select 2 as id, 'b' as status, cast('2024-01-01 00:00:00' as timestamp) as updated_at
) src
);

-- [no node]
commit;

-- ==== run 2: snapshot vars="{status: a2, updated: '2024-01-02 00:00:00'}" ====

-- [no node]
select n.oid is not null as schema_exists, c.relname as name, c.relkind::text as relkind,
       exists (select 1 from pg_catalog.pg_depend d
               where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = c.oid and d.deptype = 'n'
                 and not (d.classid = 'pg_catalog.pg_rewrite'::regclass
                          and exists (select 1 from pg_catalog.pg_rewrite r where r.oid = d.objid and r.ev_class = c.oid))) as has_dependents,
       (c.relacl is not null or c.reloptions is not null
        or exists (select 1 from pg_catalog.pg_description ds where ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass)) as decorated
from (select 1) as one
left join pg_catalog.pg_namespace n on n.nspname = 'golden_snapshots'
left join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relkind in ('r', 'p', 'v', 'm', 'f');
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden_snapshots"."snap"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
begin;
create temporary view "tsdbt_describe_1" as
select cast('2024-03-02 00:00:00.000' as timestamp) as snapshot_get_time, updated_at as dbt_updated_at from (


select 1 as id, 'a2' as status, cast('2024-01-02 00:00:00' as timestamp) as updated_at
union all
select 2 as id, 'b' as status, cast('2024-01-01 00:00:00' as timestamp) as updated_at
) src;
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
select pg_advisory_xact_lock(hashtextextended('tsdbt:"postgres"."golden_snapshots"."snap"', 0));
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
where a.attrelid = to_regclass('"golden_snapshots"."snap"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;

-- [snapshot.demo.snap]
create temporary table "snap__dbt_tmp000000000000" as (
select src.*, updated_at as __tsdbt_updated from (


select 1 as id, 'a2' as status, cast('2024-01-02 00:00:00' as timestamp) as updated_at
union all
select 2 as id, 'b' as status, cast('2024-01-01 00:00:00' as timestamp) as updated_at
) src
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
where a.attrelid = to_regclass('"snap__dbt_tmp000000000000"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;

-- [snapshot.demo.snap]
create temporary table "snap__tsdbt_chg000000000000" as (
select s.*, case when t."id" is null then 'insert' else 'update' end as __tsdbt_change, t."dbt_scd_id" as __tsdbt_closed_scd
from "snap__dbt_tmp000000000000" s
left join (select c.* from "postgres"."golden_snapshots"."snap" c where c."dbt_valid_to" is null) t on t."id" = s."id"
where t."id" is null or s.__tsdbt_updated > t."dbt_updated_at"
);
update "postgres"."golden_snapshots"."snap" as t set "dbt_valid_to" = c.__tsdbt_updated
from "snap__tsdbt_chg000000000000" c
where t."dbt_scd_id" = c.__tsdbt_closed_scd and c.__tsdbt_change = 'update' and t."dbt_valid_to" is null;
insert into "postgres"."golden_snapshots"."snap" ("id", "status", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
select c."id", c."status", c."updated_at", md5(coalesce(cast(c."id" as varchar), '') || '|' || coalesce(cast(c.__tsdbt_updated as varchar), '')), c.__tsdbt_updated, c.__tsdbt_updated, cast(null as timestamp)
from "snap__tsdbt_chg000000000000" c;
drop table if exists "snap__tsdbt_chg000000000000" cascade;
drop table if exists "snap__dbt_tmp000000000000" cascade;

-- [no node]
commit;

