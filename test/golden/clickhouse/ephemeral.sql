-- ==== run 1: run ====

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

with __dbt__cte__e as (

select 1 as id, 'a' as name
) select id, name from __dbt__cte__e
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 't';
rename table `golden`.`t__dbt_tmp` to `golden`.`t`;

