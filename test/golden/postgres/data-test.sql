-- ==== run 1: build ====

-- [no node]
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;
create schema if not exists "golden";
commit;
select 1 as found from pg_catalog.pg_namespace where nspname = 'golden';
begin;

-- [model.demo.t]
drop table if exists "postgres"."golden"."t__tsdbt_tmp" cascade;
create table "postgres"."golden"."t__tsdbt_tmp" as (
select 1 as id, 'a' as name
union all
select 2 as id, null as name
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
commit;

-- [test.demo.unique_t_id.8ad39b758b]
select
    count(*) as failures,
    case when count(*) != 0 then true else false end as should_warn,
    case when count(*) != 0 then true else false end as should_error
from (
select
    id as unique_field,
    count(*) as n_records
from "postgres"."golden"."t"
where id is not null
group by id
having count(*) > 1
) dbt_internal_test;

-- [test.demo.not_null_t_id.a3af787eb8]
select
    count(*) as failures,
    case when count(*) != 0 then true else false end as should_warn,
    case when count(*) != 0 then true else false end as should_error
from (
select id
from "postgres"."golden"."t"
where id is null
) dbt_internal_test;

-- [test.demo.not_null_t_name.2e6ed18fa1]
select
    count(*) as failures,
    case when count(*) != 0 then true else false end as should_warn,
    case when count(*) != 0 then true else false end as should_error
from (
select name
from "postgres"."golden"."t"
where name is null
) dbt_internal_test;

