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

select 1 as id
union all
select 1 as id
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 't';
rename table `golden`.`t__dbt_tmp` to `golden`.`t`;
create database if not exists `golden_dbt_test__audit`;

-- [test.demo.unique_t_id.8ad39b758b]
drop table if exists `golden_dbt_test__audit`.`unique_t_id__dbt_tmp` sync;
create table `golden_dbt_test__audit`.`unique_t_id__dbt_tmp`
engine = MergeTree()
order by tuple()
as (

    
    

select
    id as unique_field,
    count(*) as n_records

from `golden`.`t`
where id is not null
group by id
having count(*) > 1



);

-- [no node]
select name, engine from system.tables where database = 'golden_dbt_test__audit' and name = 'unique_t_id';
select name, engine from system.tables where database = 'golden_dbt_test__audit' and name = 'unique_t_id';
rename table `golden_dbt_test__audit`.`unique_t_id__dbt_tmp` to `golden_dbt_test__audit`.`unique_t_id`;

-- [test.demo.unique_t_id.8ad39b758b]
select
    count(*) as failures,
    case when count(*) != 0 then true else false end as should_warn,
    case when count(*) != 0 then true else false end as should_error
from (
select * from `golden_dbt_test__audit`.`unique_t_id`
) dbt_internal_test;

