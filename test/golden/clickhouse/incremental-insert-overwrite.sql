-- ==== run 1: run ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'inc';
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.inc]
drop table if exists `golden`.`inc__dbt_tmp` sync;
create table `golden`.`inc__dbt_tmp`
engine = MergeTree()
order by id
partition by (id)
settings replicated_deduplication_window = '0', allow_nullable_key = 1
as (


select 1 as id, 'v1' as v
union all
select 2 as id, 'v1' as v
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'inc';
rename table `golden`.`inc__dbt_tmp` to `golden`.`inc`;

-- ==== run 2: run vars="{version: 2}" ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'inc';
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.inc]
drop table if exists `golden`.`inc__tsdbt_overwrite` sync;
create table `golden`.`inc__tsdbt_overwrite` as `golden`.`inc`;
insert into `golden`.`inc__tsdbt_overwrite`


select 2 as id, 'v2' as v
union all
select 3 as id, 'v2' as v;
select distinct _partition_id as id from `golden`.`inc__tsdbt_overwrite` order by id;
alter table `golden`.`inc` replace partition id '2' from `golden`.`inc__tsdbt_overwrite`;
alter table `golden`.`inc` replace partition id '3' from `golden`.`inc__tsdbt_overwrite`;
select count() as n from `golden`.`inc__tsdbt_overwrite`;
drop table if exists `golden`.`inc__tsdbt_overwrite` sync;

