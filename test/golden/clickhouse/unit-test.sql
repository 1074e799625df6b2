-- ==== run 1: build ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.src]
drop view if exists `golden`.`src__dbt_tmp` sync;
create or replace view `golden`.`src__dbt_tmp` as (

select 1 as id, 10 as amount
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'src';
rename table `golden`.`src__dbt_tmp` to `golden`.`src`;
select name, engine from system.tables where database = 'golden' and name = 'src';
select name, type, position, comment from system.columns where database = 'golden' and table = 'src' order by position;
describe table (

with __dbt__cte__src as (
select cast(1 as UInt8) as `id`, cast(3 as UInt8) as `amount`
union all
select cast(2 as UInt8) as `id`, cast(4 as UInt8) as `amount`
) select id, amount * 2 as amount from __dbt__cte__src
);

-- [unit_test.demo.doubled.doubles]
with dbt_expected as (select `id`, `amount`, row_number() over (partition by `id`, `amount`) as dbt_row_n from (
select cast(1 as UInt8) as `id`, cast(6 as UInt16) as `amount`
union all
select cast(2 as UInt8) as `id`, cast(8 as UInt16) as `amount`
) as e),
dbt_actual as (select `id`, `amount`, row_number() over (partition by `id`, `amount`) as dbt_row_n from (
select `id`, `amount` from (

with __dbt__cte__src as (
select cast(1 as UInt8) as `id`, cast(3 as UInt8) as `amount`
union all
select cast(2 as UInt8) as `id`, cast(4 as UInt8) as `amount`
) select id, amount * 2 as amount from __dbt__cte__src
) as dbt_internal_unit_test_actual
) as a)
select 'expected' as dbt_side, * from (select * from dbt_expected except select * from dbt_actual) as missing
union all
select 'actual' as dbt_side, * from (select * from dbt_actual except select * from dbt_expected) as extra;

-- [model.demo.doubled]
drop table if exists `golden`.`doubled__dbt_tmp` sync;
create table `golden`.`doubled__dbt_tmp`
engine = MergeTree()
order by tuple()
settings replicated_deduplication_window = '0'
as (

select id, amount * 2 as amount from `golden`.`src`
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'doubled';
rename table `golden`.`doubled__dbt_tmp` to `golden`.`doubled`;

