-- ==== run 1: seed ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'src';
create database if not exists `golden`;

-- [seed.demo.src]
drop table if exists `golden`.`src__dbt_tmp` sync;
create table `golden`.`src__dbt_tmp` (
    `id` Int32,
    `name` String
)
engine = MergeTree()
order by tuple();
insert into `golden`.`src__dbt_tmp` (`id`, `name`) format CSV;

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'src';
rename table `golden`.`src__dbt_tmp` to `golden`.`src`;

-- ==== run 2: run ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'm';
create database if not exists `golden`;

-- [model.demo.m]
drop table if exists `golden`.`m__dbt_tmp` sync;
create table `golden`.`m__dbt_tmp`
engine = MergeTree()
order by id
settings replicated_deduplication_window = '0', allow_nullable_key = 1
as (

select id, name as name from `golden`.`src`
);
drop view if exists `golden`.`m_mv` sync;

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'm';
rename table `golden`.`m__dbt_tmp` to `golden`.`m`;

-- [model.demo.m]
create materialized view if not exists `golden`.`m_mv`
to `golden`.`m`
as select id, name as name from `golden`.`src`;

-- ==== run 3: run vars="{name: 'upper(name)'}" ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'm';
create database if not exists `golden`;

-- [model.demo.m]
select database, name, create_table_query, as_select from system.tables where engine = 'MaterializedView' order by database, name;
alter table `golden`.`m_mv` modify query select id, upper(name) as name from `golden`.`src`;

-- ==== run 4: run vars="{name: 'upper(name)'}" fullRefresh=true ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'm';
create database if not exists `golden`;

-- [model.demo.m]
drop table if exists `golden`.`m__dbt_tmp` sync;
create table `golden`.`m__dbt_tmp`
engine = MergeTree()
order by id
settings replicated_deduplication_window = '0', allow_nullable_key = 1
as (

select id, upper(name) as name from `golden`.`src`
);
drop view if exists `golden`.`m_mv` sync;

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'm';
select engine from system.databases where name = 'golden';
exchange tables `golden`.`m__dbt_tmp` and `golden`.`m`;
drop table if exists `golden`.`m__dbt_tmp` sync;

-- [model.demo.m]
create materialized view if not exists `golden`.`m_mv`
to `golden`.`m`
as select id, upper(name) as name from `golden`.`src`;

