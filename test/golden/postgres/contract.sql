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
create table "postgres"."golden"."c" (
    "id" INT not null constraint "c_4e75a318_pkey" primary key,
    "name" text constraint "c_4f75a4ab_key" unique,
    constraint "id_positive" check (id > 0)
);
insert into "postgres"."golden"."c" ("id", "name")
select "id", "name" from (
select 1 as id, 'a' as name
) as model_subq;

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
    "id" INT not null constraint "c_c467437b_pkey" primary key,
    "name" text constraint "c_c36741e8_key" unique,
    constraint "id_positive" check (id > 0)
);
insert into "postgres"."golden"."c__tsdbt_tmp" ("id", "name")
select "id", "name" from (
select 1 as id, 'a' as name
) as model_subq;

-- [no node]
select pg_advisory_xact_lock(hashtextextended('tsdbt:dependent-views', 0))
where exists (select 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = to_regclass('"golden"."c"') and r.ev_class <> to_regclass('"golden"."c"'));
select t.oid as target_oid, t.relkind::text as target_kind, s.relkind::text as staging_kind
from (select 1) as one
left join pg_catalog.pg_class t on t.oid = to_regclass('"golden"."c"') and t.relkind in ('r', 'p', 'v', 'm', 'f')
left join pg_catalog.pg_class s on s.oid = to_regclass('"golden"."c__tsdbt_tmp"') and s.relkind in ('r', 'p', 'v', 'm', 'f');
with recursive dependents(oid, depth) as (
    select r.ev_class, 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = to_regclass('"golden"."c"') and r.ev_class <> to_regclass('"golden"."c"')
  union
    select r.ev_class, dep.depth + 1
    from dependents dep
    join pg_catalog.pg_depend d on d.refobjid = dep.oid
      and d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    join pg_catalog.pg_rewrite r on r.oid = d.objid
    where r.ev_class <> dep.oid
)
select n.nspname as schema_name, c.relname as view_name, c.relkind::text as relkind,
       max(dep.depth) as depth,
       pg_catalog.pg_get_viewdef(c.oid) as definition,
       coalesce(c.reloptions, '{}') as options,
       pg_catalog.obj_description(c.oid, 'pg_class') as comment,
       (select coalesce(json_agg(json_build_object('name', a.attname, 'comment', ds.description)), '[]')
          from pg_catalog.pg_attribute a
          join pg_catalog.pg_description ds on ds.objoid = a.attrelid and ds.objsubid = a.attnum
            and ds.classoid = 'pg_catalog.pg_class'::regclass
         where a.attrelid = c.oid and a.attnum > 0) as column_comments,
       (select coalesce(json_agg(json_build_object('grantee', case when x.grantee = 0 then 'public'
                 else quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) end,
               'privilege', x.privilege_type, 'grantable', x.is_grantable)), '[]')
          from pg_catalog.aclexplode(c.relacl) x where x.grantee <> c.relowner) as grants
from dependents dep
join pg_catalog.pg_class c on c.oid = dep.oid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
group by c.oid, n.nspname, c.relname, c.relkind, c.reloptions
order by max(dep.depth), c.oid;
drop table if exists "postgres"."golden"."c" cascade;
alter table "postgres"."golden"."c__tsdbt_tmp" rename to "c";
commit;

