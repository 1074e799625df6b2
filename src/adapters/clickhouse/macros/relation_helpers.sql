{#- ClickHouse's implementations of dbt's dispatched macros (relation_helpers); loaded on ClickHouse targets only, as dbt loads dbt-clickhouse's. -#}

{% macro clickhouse__get_drop_sql(relation) -%}
    drop {{ 'view' if relation.type == 'view' else 'table' }} if exists {{ relation }}
{%- endmacro %}
