-- ==== run 1: run ====

-- [no node]
create database if not exists `golden`;
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;

-- [model.demo.events]
drop table if exists `golden`.`events__dbt_tmp` sync;
create table `golden`.`events__dbt_tmp`
engine = MergeTree()
order by tuple()
settings replicated_deduplication_window = '0'
as (

select 1 as id, cast('2024-02-29 10:00:00' as timestamp) as event_ts
union all
select 2 as id, cast('2024-03-01 10:00:00' as timestamp) as event_ts
);

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'events';
rename table `golden`.`events__dbt_tmp` to `golden`.`events`;
select name, engine from system.tables where database = 'golden' and name = 'mb';
select name, engine from system.tables where database = 'golden' and name = 'tsdbt_microbatch_batches';

-- [model.demo.mb]
create table `golden`.`tsdbt_microbatch_batches` (
    `model_id` Nullable(String),
    `batch_start` Nullable(DateTime64(6, 'UTC')),
    `batch_end` Nullable(DateTime64(6, 'UTC')),
    `completed_at` Nullable(DateTime64(6, 'UTC'))
)
engine = MergeTree()
order by tuple();
delete from `golden`.`tsdbt_microbatch_batches` where `model_id` = 'model.demo.mb';
select `batch_start` from `golden`.`tsdbt_microbatch_batches` where `model_id` = 'model.demo.mb';
drop table if exists `golden`.`mb__dbt_tmp` sync;
create table `golden`.`mb__dbt_tmp`
engine = MergeTree()
order by tuple()
settings replicated_deduplication_window = '0'
as (

select id, event_ts from (select * from `golden`.`events` where event_ts >= toDateTime64('2024-02-29 00:00:00.000', 3) and event_ts < toDateTime64('2024-03-01 00:00:00.000', 3)) _dbt_et_filter_subq_events
);
select count(*) as n from `golden`.`mb__dbt_tmp`;

-- [no node]
select name, engine from system.tables where database = 'golden' and name = 'mb';
rename table `golden`.`mb__dbt_tmp` to `golden`.`mb`;

-- [model.demo.mb]
delete from `golden`.`tsdbt_microbatch_batches` where `model_id` = 'model.demo.mb' and `batch_start` = toDateTime64('2024-02-29 00:00:00.000', 3);
insert into `golden`.`tsdbt_microbatch_batches` (`model_id`, `batch_start`, `batch_end`, `completed_at`) values ('model.demo.mb', toDateTime64('2024-02-29 00:00:00.000', 3), toDateTime64('2024-03-01 00:00:00.000', 3), toDateTime64('2024-03-01 00:00:00.000', 3));
drop table if exists `golden`.`mb__dbt_tmp` sync;
create table `golden`.`mb__dbt_tmp`
engine = MergeTree()
order by tuple()
as (

select id, event_ts from (select * from `golden`.`events` where event_ts >= toDateTime64('2024-03-01 00:00:00.000', 3) and event_ts < toDateTime64('2024-03-02 00:00:00.000', 3)) _dbt_et_filter_subq_events
);

-- [no node]
select name, type, position, comment from system.columns where database = 'golden' and table = 'mb' order by position;
select name, type, position, comment from system.columns where database = 'golden' and table = 'mb__dbt_tmp' order by position;

-- [model.demo.mb]
delete from `golden`.`mb` where event_ts >= toDateTime64('2024-03-01 00:00:00.000', 3) and event_ts < toDateTime64('2024-03-02 00:00:00.000', 3);
insert into `golden`.`mb` (`id`, `event_ts`)
select `id`, `event_ts` from `golden`.`mb__dbt_tmp`;
select count(*) as n from `golden`.`mb__dbt_tmp`;
drop table if exists `golden`.`mb__dbt_tmp` sync;
delete from `golden`.`tsdbt_microbatch_batches` where `model_id` = 'model.demo.mb' and `batch_start` = toDateTime64('2024-03-01 00:00:00.000', 3);
insert into `golden`.`tsdbt_microbatch_batches` (`model_id`, `batch_start`, `batch_end`, `completed_at`) values ('model.demo.mb', toDateTime64('2024-03-01 00:00:00.000', 3), toDateTime64('2024-03-02 00:00:00.000', 3), toDateTime64('2024-03-01 00:00:00.000', 3));

-- ==== run 2: run select=["mb"] ====

-- [no node]
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' and name = 'mb';
create database if not exists `golden`;
select name, engine from system.tables where database = 'golden' order by name;
select name, engine from system.tables where database = 'golden' and name = 'tsdbt_microbatch_batches';

-- [model.demo.mb]
select `batch_start` from `golden`.`tsdbt_microbatch_batches` where `model_id` = 'model.demo.mb';
drop table if exists `golden`.`mb__dbt_tmp` sync;
create table `golden`.`mb__dbt_tmp`
engine = MergeTree()
order by tuple()
as (

select id, event_ts from (select * from `golden`.`events` where event_ts >= toDateTime64('2024-03-01 00:00:00.000', 3) and event_ts < toDateTime64('2024-03-02 00:00:00.000', 3)) _dbt_et_filter_subq_events
);

-- [no node]
select name, type, position, comment from system.columns where database = 'golden' and table = 'mb' order by position;
select name, type, position, comment from system.columns where database = 'golden' and table = 'mb__dbt_tmp' order by position;

-- [model.demo.mb]
delete from `golden`.`mb` where event_ts >= toDateTime64('2024-03-01 00:00:00.000', 3) and event_ts < toDateTime64('2024-03-02 00:00:00.000', 3);
insert into `golden`.`mb` (`id`, `event_ts`)
select `id`, `event_ts` from `golden`.`mb__dbt_tmp`;
select count(*) as n from `golden`.`mb__dbt_tmp`;
drop table if exists `golden`.`mb__dbt_tmp` sync;
delete from `golden`.`tsdbt_microbatch_batches` where `model_id` = 'model.demo.mb' and `batch_start` = toDateTime64('2024-03-01 00:00:00.000', 3);
insert into `golden`.`tsdbt_microbatch_batches` (`model_id`, `batch_start`, `batch_end`, `completed_at`) values ('model.demo.mb', toDateTime64('2024-03-01 00:00:00.000', 3), toDateTime64('2024-03-02 00:00:00.000', 3), toDateTime64('2024-03-02 00:00:00.000', 3));
drop table if exists `golden`.`mb__dbt_tmp` sync;
create table `golden`.`mb__dbt_tmp`
engine = MergeTree()
order by tuple()
as (

select id, event_ts from (select * from `golden`.`events` where event_ts >= toDateTime64('2024-03-02 00:00:00.000', 3) and event_ts < toDateTime64('2024-03-03 00:00:00.000', 3)) _dbt_et_filter_subq_events
);

-- [no node]
select name, type, position, comment from system.columns where database = 'golden' and table = 'mb' order by position;
select name, type, position, comment from system.columns where database = 'golden' and table = 'mb__dbt_tmp' order by position;

-- [model.demo.mb]
delete from `golden`.`mb` where event_ts >= toDateTime64('2024-03-02 00:00:00.000', 3) and event_ts < toDateTime64('2024-03-03 00:00:00.000', 3);
insert into `golden`.`mb` (`id`, `event_ts`)
select `id`, `event_ts` from `golden`.`mb__dbt_tmp`;
select count(*) as n from `golden`.`mb__dbt_tmp`;
drop table if exists `golden`.`mb__dbt_tmp` sync;
delete from `golden`.`tsdbt_microbatch_batches` where `model_id` = 'model.demo.mb' and `batch_start` = toDateTime64('2024-03-02 00:00:00.000', 3);
insert into `golden`.`tsdbt_microbatch_batches` (`model_id`, `batch_start`, `batch_end`, `completed_at`) values ('model.demo.mb', toDateTime64('2024-03-02 00:00:00.000', 3), toDateTime64('2024-03-03 00:00:00.000', 3), toDateTime64('2024-03-02 00:00:00.000', 3));

