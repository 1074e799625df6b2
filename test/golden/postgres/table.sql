-- ==== run 1: run ====

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

-- [model.demo.t]
create unlogged table "postgres"."golden"."t" as (
select 1 as id, 'a' as name
);
create unique index "t_be5386c7_idx" on "postgres"."golden"."t" (id);
create index "t_50e08a26_idx" on "postgres"."golden"."t" using hash (name);

-- [no node]
commit;

-- ==== run 2: run ====

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

-- [model.demo.t]
drop table if exists "postgres"."golden"."t__dbt_tmp" cascade;
create unlogged table "postgres"."golden"."t__dbt_tmp" as (
select 1 as id, 'a' as name
);
create unique index "t_d1536590_idx" on "postgres"."golden"."t__dbt_tmp" (id);
create index "t_a6044d1d_idx" on "postgres"."golden"."t__dbt_tmp" using hash (name);

-- [no node]
drop table if exists "postgres"."golden"."t";
alter table "postgres"."golden"."t__dbt_tmp" rename to "t";
commit;

