{#- PostgreSQL's implementations of dbt's dispatched macros (time_helpers); loaded on PostgreSQL and PGlite targets only, as dbt loads dbt-postgres's. -#}

{% macro postgres__current_timestamp_backcompat() -%}
    current_timestamp::{{ type_timestamp() }}
{%- endmacro %}

{% macro postgres__current_timestamp_in_utc_backcompat() -%}
    (current_timestamp at time zone 'utc')::{{ type_timestamp() }}
{%- endmacro %}

{% macro postgres__snapshot_get_time() -%}
    {{ current_timestamp() }}::timestamp without time zone
{%- endmacro %}

{% macro postgres__snapshot_string_as_time(timestamp) -%}
    {{ return("'" ~ timestamp ~ "'::timestamp without time zone") }}
{%- endmacro %}

{#- dbt-postgres: close the changed rows' versions, then insert the new ones. -#}
{% macro postgres__snapshot_merge_sql(target, source, insert_cols) -%}
    {%- set insert_cols_csv = insert_cols | join(', ') -%}
    update {{ target }}
    set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to
    from {{ source }} as DBT_INTERNAL_SOURCE
    where DBT_INTERNAL_SOURCE.dbt_scd_id::text = {{ target }}.dbt_scd_id::text
      and DBT_INTERNAL_SOURCE.dbt_change_type::text in ('update'::text, 'delete'::text)
      and {{ target }}.dbt_valid_to is null;

    insert into {{ target }} ({{ insert_cols_csv }})
    select {% for column in insert_cols -%}
        DBT_INTERNAL_SOURCE.{{ column }} {%- if not loop.last %}, {%- endif %}
    {%- endfor %}
    from {{ source }} as DBT_INTERNAL_SOURCE
    where DBT_INTERNAL_SOURCE.dbt_change_type::text = 'insert'::text;
{%- endmacro %}
