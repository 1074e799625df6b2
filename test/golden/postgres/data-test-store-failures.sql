-- ==== run 1: build ====

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
select 1 as id
union all
select 1 as id
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
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden_dbt_test__audit';
begin;
create schema if not exists "golden_dbt_test__audit";
commit;
begin;

-- [test.demo.unique_t_id.8ad39b758b]
drop table if exists "postgres"."golden_dbt_test__audit"."unique_t_id__tsdbt_tmp" cascade;
create table "postgres"."golden_dbt_test__audit"."unique_t_id__tsdbt_tmp" as (
select
    id as unique_field,
    count(*) as n_records
from "postgres"."golden"."t"
where id is not null
group by id
having count(*) > 1
);

-- [no node]
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden_dbt_test__audit"."unique_t_id"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
savepoint tsdbt_savepoint_1;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden_dbt_test__audit"."unique_t_id"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden_dbt_test__audit"."unique_t_id__tsdbt_tmp"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
alter table "postgres"."golden_dbt_test__audit"."unique_t_id__tsdbt_tmp" rename to "unique_t_id";
release savepoint tsdbt_savepoint_1;
commit;

-- [test.demo.unique_t_id.8ad39b758b]
select
    count(*) as failures,
    case when count(*) != 0 then true else false end as should_warn,
    case when count(*) != 0 then true else false end as should_error
from (
select * from "postgres"."golden_dbt_test__audit"."unique_t_id"
) dbt_internal_test;

