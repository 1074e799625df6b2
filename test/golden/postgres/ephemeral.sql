-- ==== run 1: run ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;
create schema if not exists "golden";
commit;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."t"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;

-- [model.demo.t]
drop table if exists "postgres"."golden"."t__tsdbt_tmp" cascade;
create table "postgres"."golden"."t__tsdbt_tmp" as (
with __dbt__cte__e as (
select 1 as id, 'a' as name
)
select id, name from __dbt__cte__e
);

-- [no node]
savepoint tsdbt_savepoint_1;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."t"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."t__tsdbt_tmp"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
alter table "postgres"."golden"."t__tsdbt_tmp" rename to "t";
release savepoint tsdbt_savepoint_1;
commit;

