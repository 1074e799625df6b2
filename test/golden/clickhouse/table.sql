-- ==== run 1: run ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.t]
drop table if exists `golden`.`t__dbt_tmp` sync;
create table `golden`.`t__dbt_tmp`
engine = ReplacingMergeTree()
order by id
partition by (name)
primary key (id)
settings index_granularity = 1024, replicated_deduplication_window = '0', allow_nullable_key = 1
as (

select 1 as id, 'a' as name
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 't';
rename table `golden`.`t__dbt_tmp` to `golden`.`t`;

-- ==== run 2: run ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.t]
drop table if exists `golden`.`t__dbt_tmp` sync;
create table `golden`.`t__dbt_tmp`
engine = ReplacingMergeTree()
order by id
partition by (name)
primary key (id)
settings index_granularity = 1024, replicated_deduplication_window = '0', allow_nullable_key = 1
as (

select 1 as id, 'a' as name
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 't';
select engine from system.databases where name = 'golden';
exchange tables `golden`.`t__dbt_tmp` and `golden`.`t`;
drop table if exists `golden`.`t__dbt_tmp` sync;

