-- ==== run 1: run ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.log]
drop table if exists `golden`.`log__dbt_tmp` sync;
create table `golden`.`log__dbt_tmp`
engine = MergeTree()
order by tuple()
settings replicated_deduplication_window = '0'
as (

select 'start' as event
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'log';
rename table `golden`.`log__dbt_tmp` to `golden`.`log`;

-- [model.demo.t]
insert into `golden`.`log` (event) values ('pre outside');
insert into `golden`.`log` (event) values ('pre inside');
drop table if exists `golden`.`t__dbt_tmp` sync;
create table `golden`.`t__dbt_tmp`
engine = MergeTree()
order by tuple()
settings replicated_deduplication_window = '0'
as (

select 1 as id
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 't';
rename table `golden`.`t__dbt_tmp` to `golden`.`t`;

-- [model.demo.t]
insert into `golden`.`log` (event) values ('post inside');
insert into `golden`.`log` (event) values ('post outside');

