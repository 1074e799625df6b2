-- ==== run 1: run ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;
create schema if not exists "golden";
commit;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."v"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;

-- [model.demo.v]
drop view if exists "postgres"."golden"."v__tsdbt_tmp" cascade;
create view "postgres"."golden"."v__tsdbt_tmp" as (
select 1 as id, 'a' as name
);

-- [no node]
savepoint tsdbt_savepoint_1;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."v"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."v__tsdbt_tmp"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
alter view "postgres"."golden"."v__tsdbt_tmp" rename to "v";
release savepoint tsdbt_savepoint_1;
commit;

-- ==== run 2: run ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."v"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;

-- [model.demo.v]
drop view if exists "postgres"."golden"."v__tsdbt_tmp" cascade;
create view "postgres"."golden"."v__tsdbt_tmp" as (
select 1 as id, 'a' as name
);

-- [no node]
savepoint tsdbt_savepoint_1;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."v"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."v__tsdbt_tmp"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = <oid>::oid and r.ev_class <> <oid>::oid limit 1;
drop view if exists "postgres"."golden"."v" cascade;
alter view "postgres"."golden"."v__tsdbt_tmp" rename to "v";
release savepoint tsdbt_savepoint_1;
commit;

