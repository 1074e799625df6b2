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
comment on table "postgres"."golden"."t" is 'The table''s rows';

-- [no node]
select a.attname as column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type,
       not a.attnotnull as is_nullable,
       pg_catalog.col_description(a.attrelid, a.attnum) as column_comment
from pg_catalog.pg_attribute a
where a.attrelid = to_regclass('"golden"."t"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;

-- [model.demo.t]
comment on column "postgres"."golden"."t"."id" is 'The key';

-- [no node]
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
select id from "postgres"."golden"."t"
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

-- [model.demo.v]
comment on view "postgres"."golden"."v" is 'A view';

-- [no node]
select a.attname as column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type,
       not a.attnotnull as is_nullable,
       pg_catalog.col_description(a.attrelid, a.attnum) as column_comment
from pg_catalog.pg_attribute a
where a.attrelid = to_regclass('"golden"."v"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;

-- [model.demo.v]
comment on column "postgres"."golden"."v"."id" is 'The key, again';

-- [no node]
commit;

