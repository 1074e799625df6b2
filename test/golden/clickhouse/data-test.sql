-- ==== run 1: build ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.t]
drop table if exists `golden`.`t__dbt_tmp` sync;
create table `golden`.`t__dbt_tmp`
engine = MergeTree()
order by tuple()
settings replicated_deduplication_window = '0'
as (

select 1 as id, 'a' as name
union all
select 2 as id, null as name
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 't';
rename table `golden`.`t__dbt_tmp` to `golden`.`t`;

-- [test.demo.unique_t_id.8ad39b758b]
select
    count(*) as failures,
    case when count(*) != 0 then true else false end as should_warn,
    case when count(*) != 0 then true else false end as should_error
from (

    
    

select
    id as unique_field,
    count(*) as n_records

from `golden`.`t`
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
from `golden`.`t`
where id is null



) dbt_internal_test;

-- [test.demo.not_null_t_name.2e6ed18fa1]
select
    count(*) as failures,
    case when count(*) != 0 then true else false end as should_warn,
    case when count(*) != 0 then true else false end as should_error
from (

    
    



select name
from `golden`.`t`
where name is null



) dbt_internal_test;

