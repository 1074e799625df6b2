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
drop table if exists `golden`.`inc__dbt_tmp` sync;
create table `golden`.`inc__dbt_tmp`
engine = MergeTree()
order by tuple()
as (


select 2 as id, 'v2' as v
union all
select 3 as id, 'v2' as v
);

-- [no node]
select name, type, position, comment from system.columns where database = 'golden' and table = 'inc' order by position;
select name, type, position, comment from system.columns where database = 'golden' and table = 'inc__dbt_tmp' order by position;

-- [model.demo.inc]
select `id`, count() as n from `golden`.`inc__dbt_tmp` group by `id` having count() > 1 limit 1;
drop table if exists `golden`.`inc__tsdbt_new` sync;
create table `golden`.`inc__tsdbt_new`
engine = MergeTree()
order by id
settings replicated_deduplication_window = '0', allow_nullable_key = 1
as (
select t.`id` as `id`, t.`v` as `v`
from `golden`.`inc` t
left join (select distinct `id` from `golden`.`inc__dbt_tmp`) b on t.`id` = b.`id`
where b.`id` is null
union all
select `id`, `v` from `golden`.`inc__dbt_tmp`
);
select count(*) as n from `golden`.`inc__dbt_tmp`;

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'inc';
select engine from system.databases where name = 'golden';
exchange tables `golden`.`inc__tsdbt_new` and `golden`.`inc`;
drop table if exists `golden`.`inc__tsdbt_new` sync;

-- [model.demo.inc]
drop table if exists `golden`.`inc__dbt_tmp` sync;

