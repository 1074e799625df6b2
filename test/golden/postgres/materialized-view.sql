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
drop materialized view if exists "postgres"."golden"."m__dbt_tmp" cascade;
create materialized view "postgres"."golden"."m__dbt_tmp" as (
select 1 as id, 'a' as name
);
create unique index "m_be5386c7_idx" on "postgres"."golden"."m__dbt_tmp" (id);
create index "m_50e08a26_idx" on "postgres"."golden"."m__dbt_tmp" using hash (name);

-- [no node]
alter materialized view "postgres"."golden"."m__dbt_tmp" rename to "m";
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
drop materialized view if exists "postgres"."golden"."m__dbt_tmp" cascade;
create materialized view "postgres"."golden"."m__dbt_tmp" as (
select 1 as id, 'a' as name
);
create unique index "m_ff8afdb3_idx" on "postgres"."golden"."m__dbt_tmp" (id);
create index "m_fe8afc20_idx" on "postgres"."golden"."m__dbt_tmp" using hash (id);

-- [no node]
create or replace function pg_temp.tsdbt_swap(target_oid regclass, staging_oid regclass, drops jsonb, renames jsonb) returns void language plpgsql as $tsdbt$
declare
  target_kind text;
  staging_kind text;
  views jsonb;
  view jsonb;
  statement text;
  others bigint;
begin
  if exists (select 1 from pg_catalog.pg_depend d
    join pg_catalog.pg_rewrite r on r.oid = d.objid
    where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.refobjid = target_oid and r.ev_class <> target_oid) then
    perform pg_advisory_xact_lock(hashtextextended('tsdbt:dependent-views', 0));
  end if;
  select relkind::text into target_kind from pg_catalog.pg_class where oid = target_oid;
  select relkind::text into staging_kind from pg_catalog.pg_class where oid = staging_oid;
  if target_kind in ('r', 'p') then
    begin
      with recursive dependents(oid, depth) as (
          select r.ev_class, 1 from pg_catalog.pg_depend d
      join pg_catalog.pg_rewrite r on r.oid = d.objid
      where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
        and d.refobjid = target_oid and r.ev_class <> target_oid
        union
          select r.ev_class, dep.depth + 1
          from dependents dep
          join pg_catalog.pg_depend d on d.refobjid = dep.oid
            and d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
          join pg_catalog.pg_rewrite r on r.oid = d.objid
          where r.ev_class <> dep.oid
      )
      select count(*) from dependents dep join pg_catalog.pg_class c on c.oid = dep.oid where c.relkind <> 'v'
      into others;
      if others = 0 then
        select jsonb_agg(format(E'create or replace view %I.%I%s as\n%s', n.nspname, c.relname,
            case when coalesce(cardinality(c.reloptions), 0) = 0 then '' else format(' with (%s)', array_to_string(c.reloptions, ', ')) end,
            regexp_replace(btrim(pg_catalog.pg_get_viewdef(c.oid), E' \t\r\n'), ';\s*$', '')) order by c.oid)
        from (select distinct r.ev_class as oid from pg_catalog.pg_depend d
          join pg_catalog.pg_rewrite r on r.oid = d.objid
          where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
            and d.refobjid = target_oid and r.ev_class <> target_oid) v
        join pg_catalog.pg_class c on c.oid = v.oid
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        into views;
        execute format('alter table %s rename to %I', target_oid, 'tsdbt_swap_' || target_oid::oid::text);
        execute coalesce(renames ->> staging_kind, renames ->> '');
        for statement in select value from jsonb_array_elements_text(coalesce(views, '[]'::jsonb)) loop
          execute statement;
        end loop;
        execute format('drop table %s', target_oid);
        return;
      end if;
    exception when others then null;
    end;
  end if;
  with recursive dependents(oid, depth) as (
      select r.ev_class, 1 from pg_catalog.pg_depend d
  join pg_catalog.pg_rewrite r on r.oid = d.objid
  where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.refobjid = target_oid and r.ev_class <> target_oid
    union
      select r.ev_class, dep.depth + 1
      from dependents dep
      join pg_catalog.pg_depend d on d.refobjid = dep.oid
        and d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
      join pg_catalog.pg_rewrite r on r.oid = d.objid
      where r.ev_class <> dep.oid
  )
  , views as (select oid, max(depth) as depth from dependents group by oid)
  select coalesce(jsonb_agg(s.statements order by s.depth, s.oid), '[]'::jsonb) from (
    select v.depth, c.oid,
      jsonb_build_array(format(E'create %s %I.%I%s as\n%s', k.kind, n.nspname, c.relname,
          case when coalesce(cardinality(c.reloptions), 0) = 0 then '' else format(' with (%s)', array_to_string(c.reloptions, ', ')) end,
          regexp_replace(btrim(pg_catalog.pg_get_viewdef(c.oid), E' \t\r\n'), ';\s*$', '')))
      || coalesce((select jsonb_build_array(format('comment on %s %I.%I is %L', k.kind, n.nspname, c.relname, ds.description))
            from pg_catalog.pg_description ds
           where ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass and ds.objsubid = 0), '[]'::jsonb)
      || coalesce((select jsonb_agg(format('comment on column %I.%I.%I is %L', n.nspname, c.relname, a.attname, ds.description) order by a.attnum)
            from pg_catalog.pg_attribute a
            join pg_catalog.pg_description ds on ds.objoid = a.attrelid and ds.objsubid = a.attnum
              and ds.classoid = 'pg_catalog.pg_class'::regclass
           where a.attrelid = c.oid and a.attnum > 0), '[]'::jsonb)
      || coalesce((select jsonb_agg(format('grant %s on %I.%I to %s%s', x.privilege_type, n.nspname, c.relname,
                   case when x.grantee = 0 then 'public' else quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) end,
                   case when x.is_grantable then ' with grant option' else '' end))
            from pg_catalog.aclexplode(c.relacl) x where x.grantee <> c.relowner), '[]'::jsonb) as statements
    from views v
    join pg_catalog.pg_class c on c.oid = v.oid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    cross join lateral (select case when c.relkind = 'm' then 'materialized view' else 'view' end as kind) k
  ) s
  into views;
  statement := drops ->> target_kind;
  if statement is not null then
    execute statement;
  end if;
  execute coalesce(renames ->> staging_kind, renames ->> '');
  for view in select value from jsonb_array_elements(views) loop
    begin
      for statement in select value from jsonb_array_elements_text(view) loop
        execute statement;
      end loop;
    exception when others then null;
    end;
  end loop;
end
$tsdbt$;
select pg_temp.tsdbt_swap(to_regclass('"golden"."m"'), to_regclass('"golden"."m__dbt_tmp"'), '{"r":"drop table if exists \"postgres\".\"golden\".\"m\" cascade","p":"drop table if exists \"postgres\".\"golden\".\"m\" cascade","v":"drop view if exists \"postgres\".\"golden\".\"m\" cascade","m":"drop materialized view if exists \"postgres\".\"golden\".\"m\" cascade","f":"drop foreign table if exists \"postgres\".\"golden\".\"m\" cascade"}'::jsonb, '{"":"alter materialized view \"postgres\".\"golden\".\"m__dbt_tmp\" rename to \"m\"","r":"alter table \"postgres\".\"golden\".\"m__dbt_tmp\" rename to \"m\"","p":"alter table \"postgres\".\"golden\".\"m__dbt_tmp\" rename to \"m\"","v":"alter view \"postgres\".\"golden\".\"m__dbt_tmp\" rename to \"m\"","m":"alter materialized view \"postgres\".\"golden\".\"m__dbt_tmp\" rename to \"m\"","f":"alter foreign table \"postgres\".\"golden\".\"m__dbt_tmp\" rename to \"m\""}'::jsonb);
commit;

