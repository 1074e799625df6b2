-- ==== run 1: snapshot ====

-- [no node]
create database if not exists `golden_snapshots`;
select name, engine from system.tables where database = 'golden_snapshots' and name = 'snap';
create database if not exists `golden_snapshots`;

-- [snapshot.demo.snap]
drop table if exists `golden_snapshots`.`snap__dbt_tmp` sync;
create table `golden_snapshots`.`snap__dbt_tmp`
engine = MergeTree()
order by tuple()
as (
select src.*,
    lower(hex(MD5(concat(ifNull(toString(src.`id`), ''), '|', ifNull(toString(toDateTime64('2024-03-01 00:00:00.000', 3)), ''))))) as `dbt_scd_id`,
    toDateTime64('2024-03-01 00:00:00.000', 3) as `dbt_updated_at`,
    toDateTime64('2024-03-01 00:00:00.000', 3) as `dbt_valid_from`,
    coalesce(nullif(toDateTime64('2024-03-01 00:00:00.000', 3), toDateTime64('2024-03-01 00:00:00.000', 3)), null) as `dbt_valid_to`
from (


select 1 as id, 'a' as status
union all
select 2 as id, 'b' as status
) src
);

-- [no node]
select name, engine from system.tables where database = 'golden_snapshots' and name = 'snap';
rename table `golden_snapshots`.`snap__dbt_tmp` to `golden_snapshots`.`snap`;

-- ==== run 2: snapshot vars="{status: a2}" ====

-- [no node]
create database if not exists `golden_snapshots`;
select name, engine from system.tables where database = 'golden_snapshots' and name = 'snap';
create database if not exists `golden_snapshots`;
select name, type, position, comment from system.columns where database = 'golden_snapshots' and table = 'snap' order by position;

-- [snapshot.demo.snap]
drop table if exists `golden_snapshots`.`snap__tsdbt_snap` sync;
drop table if exists `golden_snapshots`.`snap__tsdbt_chg` sync;
create table `golden_snapshots`.`snap__tsdbt_snap`
engine = MergeTree()
order by tuple()
as (
select src.*, toDateTime64('2024-03-02 00:00:00.000', 3) as __tsdbt_updated from (


select 1 as id, 'a2' as status
union all
select 2 as id, 'b' as status
) src
);

-- [no node]
select name, type, position, comment from system.columns where database = 'golden_snapshots' and table = 'snap__tsdbt_snap' order by position;

-- [snapshot.demo.snap]
create table `golden_snapshots`.`snap__tsdbt_chg`
engine = MergeTree()
order by tuple()
as (
select s.*, case when t.`id` is null then 'insert' else 'update' end as __tsdbt_change, t.`dbt_scd_id` as __tsdbt_closed_scd
from `golden_snapshots`.`snap__tsdbt_snap` s
left join (select c.* from `golden_snapshots`.`snap` c where c.`dbt_valid_to` is null) t on t.`id` = s.`id`
where t.`id` is null or (s.`status` <> t.`status` or (s.`status` is null) <> (t.`status` is null))
);
drop table if exists `golden_snapshots`.`snap__dbt_tmp` sync;
create table `golden_snapshots`.`snap__dbt_tmp`
engine = MergeTree()
order by tuple()
as (
select t.`id` as `id`, t.`status` as `status`, t.`dbt_scd_id` as `dbt_scd_id`, t.`dbt_updated_at` as `dbt_updated_at`, t.`dbt_valid_from` as `dbt_valid_from`, case when t.`dbt_valid_to` is null and u.`id` is not null then u.__tsdbt_updated
     else t.`dbt_valid_to` end as `dbt_valid_to`
from `golden_snapshots`.`snap` t
left join (select `id`, __tsdbt_updated from `golden_snapshots`.`snap__tsdbt_chg` where __tsdbt_change = 'update') u on t.`id` = u.`id`
union all
select c.`id` as `id`, c.`status` as `status`, lower(hex(MD5(concat(ifNull(toString(c.`id`), ''), '|', ifNull(toString(c.__tsdbt_updated), ''))))) as `dbt_scd_id`, c.__tsdbt_updated as `dbt_updated_at`, c.__tsdbt_updated as `dbt_valid_from`, coalesce(nullif(c.__tsdbt_updated, c.__tsdbt_updated), null) as `dbt_valid_to`
from `golden_snapshots`.`snap__tsdbt_chg` c
);

-- [no node]
select name, engine from system.tables where database = 'golden_snapshots' and name = 'snap';
select engine from system.databases where name = 'golden_snapshots';
exchange tables `golden_snapshots`.`snap__dbt_tmp` and `golden_snapshots`.`snap`;
drop table if exists `golden_snapshots`.`snap__dbt_tmp` sync;

-- [snapshot.demo.snap]
drop table if exists `golden_snapshots`.`snap__tsdbt_chg` sync;
drop table if exists `golden_snapshots`.`snap__tsdbt_snap` sync;

