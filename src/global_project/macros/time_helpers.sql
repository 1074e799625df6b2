{#-
  dbt's time helpers: the backward-compatible current timestamps (timestamp without time zone),
  the snapshot time helpers, and dbt-core's date-string helpers over modules.datetime
  (convert_datetime, dates_in_range, partition_range, py_current_timestring).
-#}

{#- The current time as a timestamp without time zone, in the session's time zone. -#}
{% macro current_timestamp_backcompat() -%}
    {{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}
{%- endmacro %}
{% macro default__current_timestamp_backcompat() -%}
    current_timestamp::timestamp
{%- endmacro %}

{#- The current UTC time as a timestamp without time zone. -#}
{% macro current_timestamp_in_utc_backcompat() -%}
    {{ return(adapter.dispatch('current_timestamp_in_utc_backcompat', 'dbt')()) }}
{%- endmacro %}
{% macro default__current_timestamp_in_utc_backcompat() -%}
    {{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}
{%- endmacro %}

{#- Snapshots' notion of "now" and of a literal time. -#}
{% macro snapshot_get_time() -%}
    {{ return(adapter.dispatch('snapshot_get_time', 'dbt')()) }}
{%- endmacro %}
{% macro default__snapshot_get_time() -%}
    {{ current_timestamp() }}
{%- endmacro %}

{% macro snapshot_string_as_time(timestamp) -%}
    {{ return(adapter.dispatch('snapshot_string_as_time', 'dbt')(timestamp)) }}
{%- endmacro %}
{% macro default__snapshot_string_as_time(timestamp) -%}
    {{ return("cast('" ~ timestamp ~ "' as " ~ type_timestamp() ~ ")") }}
{%- endmacro %}

{#- md5 of the arguments joined with '|' (nulls as ''): snapshots' dbt_scd_id. -#}
{% macro snapshot_hash_arguments(args) -%}
    {{ return(adapter.dispatch('snapshot_hash_arguments', 'dbt')(args)) }}
{%- endmacro %}
{% macro default__snapshot_hash_arguments(args) -%}
    md5({%- for arg in args -%}
        coalesce(cast({{ arg }} as {{ type_string() }}), ''){% if not loop.last %} || '|' || {% endif %}
    {%- endfor -%})
{%- endmacro %}

{#- A date string parsed with a strptime format. -#}
{% macro convert_datetime(date_str, date_fmt) -%}
    {%- set error_msg -%}
        The provided partition date '{{ date_str }}' does not match the expected format '{{ date_fmt }}'
    {%- endset -%}
    {%- set res = try_or_compiler_error(error_msg, modules.datetime.datetime.strptime, date_str.strip(), date_fmt) -%}
    {{ return(res) }}
{%- endmacro %}

{#- Each day from start_date_str up to end_date_str (included; the start day alone when none). -#}
{% macro dates_in_range(start_date_str, end_date_str=none, in_fmt="%Y%m%d", out_fmt="%Y%m%d") -%}
    {%- set end_date_str = start_date_str if end_date_str is none else end_date_str -%}
    {%- set start_date = convert_datetime(start_date_str, in_fmt) -%}
    {%- set end_date = convert_datetime(end_date_str, in_fmt) -%}
    {%- set day_count = (end_date - start_date).days -%}
    {%- if day_count < 0 -%}
        {%- set msg -%}
            Partition start date is after the end date ({{ start_date }}, {{ end_date }})
        {%- endset -%}
        {{ exceptions.raise_compiler_error(msg, model) }}
    {%- endif -%}
    {%- set date_list = [] -%}
    {%- for i in range(0, day_count + 1) -%}
        {%- set the_date = (modules.datetime.timedelta(days=i) + start_date) -%}
        {%- if not out_fmt -%}
            {%- do date_list.append(the_date) -%}
        {%- else -%}
            {%- do date_list.append(the_date.strftime(out_fmt)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(date_list) }}
{%- endmacro %}

{#- 'YYYYMMDD' or 'YYYYMMDD,YYYYMMDD': the dates of the partition range. -#}
{% macro partition_range(raw_partition_date, date_fmt='%Y%m%d') -%}
    {%- set partition_range = (raw_partition_date | string).split(",") -%}
    {%- if (partition_range | length) == 1 -%}
        {%- set start_date = partition_range[0] -%}
        {%- set end_date = none -%}
    {%- elif (partition_range | length) == 2 -%}
        {%- set start_date = partition_range[0] -%}
        {%- set end_date = partition_range[1] -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("Invalid partition time. Expected format: {Start Date}[,{End Date}]. Got: " ~ raw_partition_date) }}
    {%- endif -%}
    {{ return(dates_in_range(start_date, end_date, in_fmt=date_fmt)) }}
{%- endmacro %}

{#- The current time as YYYYMMDDHHMMSSffffff. -#}
{% macro py_current_timestring() -%}
    {%- set dt = modules.datetime.datetime.now() -%}
    {% do return(dt.strftime("%Y%m%d%H%M%S%f")) %}
{%- endmacro %}

{#- The last day of the datepart period holding `date`: the period's start, plus one period, minus a day. -#}
{% macro default_last_day(date, datepart) -%}
    cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro %}

{#- Applies dbt's snapshot staging table (dbt_change_type insert / update / delete) to the snapshot:
    tsdbt's snapshot sends its own statements, and builds this table and calls the macro only when a
    project replaces it. -#}
{% macro snapshot_merge_sql(target, source, insert_cols) -%}
    {{ adapter.dispatch('snapshot_merge_sql', 'dbt')(target, source, insert_cols) }}
{%- endmacro %}
{% macro default__snapshot_merge_sql(target, source, insert_cols) -%}
    {%- set insert_cols_csv = insert_cols | join(', ') -%}
    merge into {{ target.render() }} as DBT_INTERNAL_DEST
    using {{ source }} as DBT_INTERNAL_SOURCE
    on DBT_INTERNAL_SOURCE.dbt_scd_id = DBT_INTERNAL_DEST.dbt_scd_id
    when matched
     and DBT_INTERNAL_DEST.dbt_valid_to is null
     and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
        then update
        set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to
    when not matched
     and DBT_INTERNAL_SOURCE.dbt_change_type = 'insert'
        then insert ({{ insert_cols_csv }})
        values ({{ insert_cols_csv }})
{%- endmacro %}
