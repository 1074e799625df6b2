-- ==== run 1: run ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.v]
drop view if exists `golden`.`v__dbt_tmp` sync;
create or replace view `golden`.`v__dbt_tmp` as (

select 1 as id, 'a' as name
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'v';
rename table `golden`.`v__dbt_tmp` to `golden`.`v`;

-- ==== run 2: run ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.v]
drop view if exists `golden`.`v__dbt_tmp` sync;
create or replace view `golden`.`v__dbt_tmp` as (

select 1 as id, 'a' as name
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'v';
select engine from system.databases where name = 'golden';
exchange tables `golden`.`v__dbt_tmp` and `golden`.`v`;
drop view if exists `golden`.`v__dbt_tmp` sync;

