{#- ClickHouse's implementations of dbt's dispatched macros (time_helpers); loaded on ClickHouse targets only, as dbt loads dbt-clickhouse's. -#}

{% macro clickhouse__current_timestamp_backcompat() -%}
    now()
{%- endmacro %}

{#- dbt-clickhouse has none: dbt's default, current_timestamp_backcompat, a DateTime (not DateTime('UTC')). -#}
{% macro clickhouse__current_timestamp_in_utc_backcompat() -%}
    now()
{%- endmacro %}

{% macro clickhouse__snapshot_hash_arguments(args) -%}
    lower(hex(MD5(concat({%- for arg in args -%}
        coalesce(toString({{ arg }}), ''){% if not loop.last %}, '|', {% endif %}
    {%- endfor -%}))))
{%- endmacro %}
