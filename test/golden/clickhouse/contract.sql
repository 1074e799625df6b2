-- ==== run 1: run ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;
describe table (

select toInt32(1) as id, 'a' as name
);

-- [model.demo.c]
drop table if exists `golden`.`c__dbt_tmp` sync;
create table `golden`.`c__dbt_tmp` (
    `id` Int32,
    `name` String,
    constraint `id_positive` check id > 0
)
engine = MergeTree()
order by tuple();
insert into `golden`.`c__dbt_tmp` (`id`, `name`)
select `id`, `name` from (

select toInt32(1) as id, 'a' as name
) as model_subq;

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'c';
rename table `golden`.`c__dbt_tmp` to `golden`.`c`;

-- ==== run 2: run ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;
describe table (

select toInt32(1) as id, 'a' as name
);

-- [model.demo.c]
drop table if exists `golden`.`c__dbt_tmp` sync;
create table `golden`.`c__dbt_tmp` (
    `id` Int32,
    `name` String,
    constraint `id_positive` check id > 0
)
engine = MergeTree()
order by tuple();
insert into `golden`.`c__dbt_tmp` (`id`, `name`)
select `id`, `name` from (

select toInt32(1) as id, 'a' as name
) as model_subq;

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'c';
select engine from system.databases where name = 'golden';
exchange tables `golden`.`c__dbt_tmp` and `golden`.`c`;
drop table if exists `golden`.`c__dbt_tmp` sync;

