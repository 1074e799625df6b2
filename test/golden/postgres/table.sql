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
create unlogged table "postgres"."golden"."t__tsdbt_tmp" as (
select 1 as id, 'a' as name
);
create unique index "t_be5386c7_idx" on "postgres"."golden"."t__tsdbt_tmp" ("id");
create index "t_50e08a26_idx" on "postgres"."golden"."t__tsdbt_tmp" using hash ("name");

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

-- ==== run 2: run ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."t"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;

-- [model.demo.t]
drop table if exists "postgres"."golden"."t__tsdbt_tmp" cascade;
create unlogged table "postgres"."golden"."t__tsdbt_tmp" as (
select 1 as id, 'a' as name
);
create unique index "t_d1536590_idx" on "postgres"."golden"."t__tsdbt_tmp" ("id");
create index "t_a6044d1d_idx" on "postgres"."golden"."t__tsdbt_tmp" using hash ("name");

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
select 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = <oid>::oid and r.ev_class <> <oid>::oid limit 1;
drop table if exists "postgres"."golden"."t" cascade;
alter table "postgres"."golden"."t__tsdbt_tmp" rename to "t";
release savepoint tsdbt_savepoint_1;
commit;

