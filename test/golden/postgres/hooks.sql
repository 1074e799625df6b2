-- ==== run 1: run ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;
create schema if not exists "golden";
commit;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."log"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;

-- [model.demo.log]
drop table if exists "postgres"."golden"."log__tsdbt_tmp" cascade;
create table "postgres"."golden"."log__tsdbt_tmp" as (
select 'start' as event
);

-- [no node]
savepoint tsdbt_savepoint_1;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."log"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."log__tsdbt_tmp"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
alter table "postgres"."golden"."log__tsdbt_tmp" rename to "log";
release savepoint tsdbt_savepoint_1;
commit;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."t"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';

-- [model.demo.t]
insert into "postgres"."golden"."log" (event) values ('pre outside');

-- [no node]
begin;

-- [model.demo.t]
insert into "postgres"."golden"."log" (event) values ('pre inside');
drop table if exists "postgres"."golden"."t__tsdbt_tmp" cascade;
create table "postgres"."golden"."t__tsdbt_tmp" as (
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

-- [model.demo.t]
insert into "postgres"."golden"."log" (event) values ('post inside');

-- [no node]
commit;

-- [model.demo.t]
insert into "postgres"."golden"."log" (event) values ('post outside');

