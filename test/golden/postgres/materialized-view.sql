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
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."m"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
begin;

-- [model.demo.m]
drop materialized view if exists "postgres"."golden"."m__tsdbt_tmp" cascade;
create materialized view "postgres"."golden"."m__tsdbt_tmp" as (
select 1 as id, 'a' as name
);
create unique index "m_be5386c7_idx" on "postgres"."golden"."m__tsdbt_tmp" (id);
create index "m_50e08a26_idx" on "postgres"."golden"."m__tsdbt_tmp" using hash (name);

-- [no node]
alter materialized view "postgres"."golden"."m__tsdbt_tmp" rename to "m";
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
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."m"') and c.relkind in ('r', 'p', 'v', 'm', 'f');

-- [model.demo.m]
select i.relname as name, m.amname as method, ix.indisunique as "unique",
       array_to_string(array_agg(a.attname order by a.attnum), ',') as column_names
from pg_catalog.pg_index ix
join pg_catalog.pg_class i on i.oid = ix.indexrelid
join pg_catalog.pg_am m on m.oid = i.relam
join pg_catalog.pg_class t on t.oid = ix.indrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = any(ix.indkey)
where t.relname = 'm' and n.nspname = 'golden' and t.relkind in ('r', 'm')
group by 1, 2, 3
order by 1, 2, 3;

-- [no node]
begin;

-- [model.demo.m]
refresh materialized view "postgres"."golden"."m";

-- [no node]
commit;

-- ==== run 3: run vars="{indexed: id}" ====

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
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."m"') and c.relkind in ('r', 'p', 'v', 'm', 'f');

-- [model.demo.m]
select i.relname as name, m.amname as method, ix.indisunique as "unique",
       array_to_string(array_agg(a.attname order by a.attnum), ',') as column_names
from pg_catalog.pg_index ix
join pg_catalog.pg_class i on i.oid = ix.indexrelid
join pg_catalog.pg_am m on m.oid = i.relam
join pg_catalog.pg_class t on t.oid = ix.indrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = any(ix.indkey)
where t.relname = 'm' and n.nspname = 'golden' and t.relkind in ('r', 'm')
group by 1, 2, 3
order by 1, 2, 3;

-- [no node]
begin;

-- [model.demo.m]
drop index if exists "golden"."m_50e08a26_idx";
create index "m_35d14eef_idx" on "postgres"."golden"."m" using hash (id);

-- [no node]
commit;

-- ==== run 4: run vars="{indexed: id}" fullRefresh=true ====

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
select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass('"golden"."m"') and c.relkind in ('r', 'p', 'v', 'm', 'f');
begin;

-- [model.demo.m]
drop materialized view if exists "postgres"."golden"."m__tsdbt_tmp" cascade;
create materialized view "postgres"."golden"."m__tsdbt_tmp" as (
select 1 as id, 'a' as name
);
create unique index "m_ff8afdb3_idx" on "postgres"."golden"."m__tsdbt_tmp" (id);
create index "m_fe8afc20_idx" on "postgres"."golden"."m__tsdbt_tmp" using hash (id);

-- [no node]
select pg_advisory_xact_lock(hashtextextended('tsdbt:dependent-views', 0))
where exists (select 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = to_regclass('"golden"."m"') and r.ev_class <> to_regclass('"golden"."m"'));
select t.oid as target_oid, t.relkind::text as target_kind, s.relkind::text as staging_kind
from (select 1) as one
left join pg_catalog.pg_class t on t.oid = to_regclass('"golden"."m"') and t.relkind in ('r', 'p', 'v', 'm', 'f')
left join pg_catalog.pg_class s on s.oid = to_regclass('"golden"."m__tsdbt_tmp"') and s.relkind in ('r', 'p', 'v', 'm', 'f');
with recursive dependents(oid, depth) as (
    select r.ev_class, 1 from pg_catalog.pg_depend d
join pg_catalog.pg_rewrite r on r.oid = d.objid
where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
  and d.refobjid = to_regclass('"golden"."m"') and r.ev_class <> to_regclass('"golden"."m"')
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
drop materialized view if exists "postgres"."golden"."m" cascade;
alter materialized view "postgres"."golden"."m__tsdbt_tmp" rename to "m";
commit;

