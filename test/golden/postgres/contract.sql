-- ==== run 1: run ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;
create schema if not exists "golden";
commit;
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;
create temporary view "tsdbt_describe_1" as
select 1 as id, 'a' as name;
select a.attname as column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type,
       not a.attnotnull as is_nullable,
       pg_catalog.col_description(a.attrelid, a.attnum) as column_comment
from pg_catalog.pg_attribute a
where a.attrelid = to_regclass('"tsdbt_describe_1"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;
drop view if exists "tsdbt_describe_1";
commit;
begin;

-- [model.demo.c]
drop table if exists "postgres"."golden"."c__tsdbt_tmp" cascade;
create table "postgres"."golden"."c__tsdbt_tmp" (
    "id" integer not null constraint "c_4e75a318_pkey" primary key,
    "name" text constraint "c_4f75a4ab_key" unique,
    constraint "id_positive" check (id > 0)
);
insert into "postgres"."golden"."c__tsdbt_tmp" ("id", "name")
select "id", "name" from (
select 1 as id, 'a' as name
) as model_subq;

-- [no node]
select t.oid as target_oid, t.relkind::text as target_kind, s.relkind::text as staging_kind,
       t.oid is not null and exists (select 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = t.oid and r.ev_class <> t.oid) as has_dependents
from (select 1) as one
left join pg_catalog.pg_class t on t.oid = to_regclass('"golden"."c"') and t.relkind in ('r', 'p', 'v', 'm', 'f')
left join pg_catalog.pg_class s on s.oid = to_regclass('"golden"."c__tsdbt_tmp"') and s.relkind in ('r', 'p', 'v', 'm', 'f');
alter table "postgres"."golden"."c__tsdbt_tmp" rename to "c";
commit;

-- ==== run 2: run ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;
create temporary view "tsdbt_describe_1" as
select 1 as id, 'a' as name;
select a.attname as column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type,
       not a.attnotnull as is_nullable,
       pg_catalog.col_description(a.attrelid, a.attnum) as column_comment
from pg_catalog.pg_attribute a
where a.attrelid = to_regclass('"tsdbt_describe_1"') and a.attnum > 0 and not a.attisdropped
order by a.attnum;
drop view if exists "tsdbt_describe_1";
commit;
begin;

-- [model.demo.c]
drop table if exists "postgres"."golden"."c__tsdbt_tmp" cascade;
create table "postgres"."golden"."c__tsdbt_tmp" (
    "id" integer not null constraint "c_c467437b_pkey" primary key,
    "name" text constraint "c_c36741e8_key" unique,
    constraint "id_positive" check (id > 0)
);
insert into "postgres"."golden"."c__tsdbt_tmp" ("id", "name")
select "id", "name" from (
select 1 as id, 'a' as name
) as model_subq;

-- [no node]
select t.oid as target_oid, t.relkind::text as target_kind, s.relkind::text as staging_kind,
       t.oid is not null and exists (select 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = t.oid and r.ev_class <> t.oid) as has_dependents
from (select 1) as one
left join pg_catalog.pg_class t on t.oid = to_regclass('"golden"."c"') and t.relkind in ('r', 'p', 'v', 'm', 'f')
left join pg_catalog.pg_class s on s.oid = to_regclass('"golden"."c__tsdbt_tmp"') and s.relkind in ('r', 'p', 'v', 'm', 'f');
drop table if exists "postgres"."golden"."c" cascade;
alter table "postgres"."golden"."c__tsdbt_tmp" rename to "c";
commit;

