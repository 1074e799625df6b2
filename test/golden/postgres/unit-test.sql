-- ==== run 1: build ====

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

-- [model.demo.src]
create view "postgres"."golden"."src" as (
select 1 as id, 10 as amount
);

-- [no node]
commit;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."src"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
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
where a.attrelid = to_regclass('"golden"."src"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;
begin;
create temporary view "tsdbt_describe_1" as

with __dbt__cte__src as (
select cast(1 as integer) as "id", cast(3 as integer) as "amount"
union all
select cast(2 as integer) as "id", cast(4 as integer) as "amount"
) select id, amount * 2 as amount from __dbt__cte__src;
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

-- [unit_test.demo.doubled.doubles]
with dbt_expected as (select "id", "amount", row_number() over (partition by "id", "amount") as dbt_row_n from (
select cast(1 as integer) as "id", cast(6 as integer) as "amount"
union all
select cast(2 as integer) as "id", cast(8 as integer) as "amount"
) as e),
dbt_actual as (select "id", "amount", row_number() over (partition by "id", "amount") as dbt_row_n from (
select "id", "amount" from (

with __dbt__cte__src as (
select cast(1 as integer) as "id", cast(3 as integer) as "amount"
union all
select cast(2 as integer) as "id", cast(4 as integer) as "amount"
) select id, amount * 2 as amount from __dbt__cte__src
) as dbt_internal_unit_test_actual
) as a)
select 'expected' as dbt_side, * from (select * from dbt_expected except all select * from dbt_actual) as missing
union all
select 'actual' as dbt_side, * from (select * from dbt_actual except all select * from dbt_expected) as extra;

-- [no node]
begin;

-- [model.demo.doubled]
create table "postgres"."golden"."doubled" as (
select id, amount * 2 as amount from "postgres"."golden"."src"
);

-- [no node]
commit;

