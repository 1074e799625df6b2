-- ==== run 1: build ====

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
create table "postgres"."golden"."t" as (
select 1 as id, 'a' as name
union all
select 2 as id, null as name
);

-- [no node]
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

