-- ==== run 1: seed ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'people';
create database if not exists `golden`;

-- [seed.demo.people]
drop table if exists `golden`.`people__dbt_tmp` sync;
create table `golden`.`people__dbt_tmp` (
    `id` Int32,
    `name` String,
    `joined` Date
)
engine = MergeTree()
order by tuple();
insert into `golden`.`people__dbt_tmp` (`id`, `name`, `joined`) format CSV;

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'people';
rename table `golden`.`people__dbt_tmp` to `golden`.`people`;

-- ==== run 2: seed ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'people';
create database if not exists `golden`;

-- [seed.demo.people]
drop table if exists `golden`.`people__dbt_tmp` sync;
create table `golden`.`people__dbt_tmp` (
    `id` Int32,
    `name` String,
    `joined` Date
)
engine = MergeTree()
order by tuple();
insert into `golden`.`people__dbt_tmp` (`id`, `name`, `joined`) format CSV;

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'people';
select engine from system.databases where name = 'golden';
exchange tables `golden`.`people__dbt_tmp` and `golden`.`people`;
drop table if exists `golden`.`people__dbt_tmp` sync;

