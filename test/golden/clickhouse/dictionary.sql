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
select name, engine from system.tables where database = 'golden' and name = 'd';
create database if not exists `golden`;

-- [model.demo.d]
create or replace dictionary `golden`.`d` (id UInt64, name String)
primary key id
source(CLICKHOUSE(user 'default' db 'golden' query 'select id, name as name from `golden`.`src`'))
layout(HASHED())
lifetime(1);

-- ==== run 3: run vars="{name: 'upper(name)'}" ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'd';
create database if not exists `golden`;

-- [model.demo.d]
create or replace dictionary `golden`.`d` (id UInt64, name String)
primary key id
source(CLICKHOUSE(user 'default' db 'golden' query 'select id, upper(name) as name from `golden`.`src`'))
layout(HASHED())
lifetime(1);

