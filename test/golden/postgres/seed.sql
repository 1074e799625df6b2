-- ==== run 1: seed ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;
create schema if not exists "golden";
commit;
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."people"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;

-- [seed.demo.people]
drop table if exists "postgres"."golden"."people__tsdbt_tmp" cascade;
create table "postgres"."golden"."people__tsdbt_tmp" (
    "id" integer,
    "name" text,
    "joined" date
);
copy "postgres"."golden"."people__tsdbt_tmp" ("id", "name", "joined") from '/dev/blob' with (format csv);

-- [no node]
select t.oid as target_oid, t.relkind::text as target_kind, s.relkind::text as staging_kind,
       t.oid is not null and exists (select 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = t.oid and r.ev_class <> t.oid) as has_dependents
from (select 1) as one
left join pg_catalog.pg_class t on t.oid = to_regclass('"golden"."people"') and t.relkind in ('r', 'p', 'v', 'm', 'f')
left join pg_catalog.pg_class s on s.oid = to_regclass('"golden"."people__tsdbt_tmp"') and s.relkind in ('r', 'p', 'v', 'm', 'f');
alter table "postgres"."golden"."people__tsdbt_tmp" rename to "people";
commit;

-- ==== run 2: seed ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."people"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;

-- [seed.demo.people]
drop table if exists "postgres"."golden"."people__tsdbt_tmp" cascade;
create table "postgres"."golden"."people__tsdbt_tmp" (
    "id" integer,
    "name" text,
    "joined" date
);
copy "postgres"."golden"."people__tsdbt_tmp" ("id", "name", "joined") from '/dev/blob' with (format csv);

-- [no node]
select a.attname as column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type,
       not a.attnotnull as is_nullable,
       pg_catalog.col_description(a.attrelid, a.attnum) as column_comment
from pg_catalog.pg_attribute a
where a.attrelid = to_regclass('"golden"."people"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;
select a.attname as column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type,
       not a.attnotnull as is_nullable,
       pg_catalog.col_description(a.attrelid, a.attnum) as column_comment
from pg_catalog.pg_attribute a
where a.attrelid = to_regclass('"golden"."people__tsdbt_tmp"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;

-- [seed.demo.people]
truncate table "postgres"."golden"."people";
insert into "postgres"."golden"."people" ("id", "name", "joined")
select "id", "name", "joined" from "postgres"."golden"."people__tsdbt_tmp";
drop table if exists "postgres"."golden"."people__tsdbt_tmp" cascade;

-- [no node]
commit;

