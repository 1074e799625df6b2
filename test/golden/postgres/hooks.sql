-- ==== run 1: run ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;
create schema if not exists "golden";
commit;
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;

-- [model.demo.log]
drop table if exists "postgres"."golden"."log__tsdbt_tmp" cascade;
create table "postgres"."golden"."log__tsdbt_tmp" as (
select 'start' as event
);

-- [no node]
select t.oid as target_oid, t.relkind::text as target_kind, s.relkind::text as staging_kind,
       t.oid is not null and exists (select 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = t.oid and r.ev_class <> t.oid) as has_dependents
from (select 1) as one
left join pg_catalog.pg_class t on t.oid = to_regclass('"golden"."log"') and t.relkind in ('r', 'p', 'v', 'm', 'f')
left join pg_catalog.pg_class s on s.oid = to_regclass('"golden"."log__tsdbt_tmp"') and s.relkind in ('r', 'p', 'v', 'm', 'f');
alter table "postgres"."golden"."log__tsdbt_tmp" rename to "log";
commit;

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
select t.oid as target_oid, t.relkind::text as target_kind, s.relkind::text as staging_kind,
       t.oid is not null and exists (select 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = t.oid and r.ev_class <> t.oid) as has_dependents
from (select 1) as one
left join pg_catalog.pg_class t on t.oid = to_regclass('"golden"."t"') and t.relkind in ('r', 'p', 'v', 'm', 'f')
left join pg_catalog.pg_class s on s.oid = to_regclass('"golden"."t__tsdbt_tmp"') and s.relkind in ('r', 'p', 'v', 'm', 'f');
alter table "postgres"."golden"."t__tsdbt_tmp" rename to "t";

-- [model.demo.t]
insert into "postgres"."golden"."log" (event) values ('post inside');

-- [no node]
commit;

-- [model.demo.t]
insert into "postgres"."golden"."log" (event) values ('post outside');

