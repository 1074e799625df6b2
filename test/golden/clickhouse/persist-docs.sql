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

select 1 as id
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 't';
rename table `golden`.`t__dbt_tmp` to `golden`.`t`;

-- [model.demo.t]
alter table `golden`.`t` modify comment 'The table\'s rows';

-- [no node]
select name, type, position, comment from system.columns where database = 'golden' and table = 't' order by position;

-- [model.demo.t]
alter table `golden`.`t` comment column `id` 'The key';

-- [model.demo.v]
drop view if exists `golden`.`v__dbt_tmp` sync;
create or replace view `golden`.`v__dbt_tmp` as (

select id from `golden`.`t`
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'v';
rename table `golden`.`v__dbt_tmp` to `golden`.`v`;

-- [model.demo.v]
alter table `golden`.`v` modify comment 'A view';

-- [no node]
select name, type, position, comment from system.columns where database = 'golden' and table = 'v' order by position;

-- [model.demo.v]
alter table `golden`.`v` comment column `id` 'The key, again';

