{#- ClickHouse's implementations of dbt's dispatched macros (utils_sql); loaded on ClickHouse targets only, as dbt loads dbt-clickhouse's. -#}

{% macro clickhouse__array_append(array, new_element) -%}
    arrayPushBack({{ array }}, {{ new_element }})
{%- endmacro %}

{% macro clickhouse__array_concat(array_1, array_2) -%}
    arrayConcat({{ array_1 }}, {{ array_2 }})
{%- endmacro %}

{% macro clickhouse__date(year, month, day) -%}
    toDate('{{ "%04d-%02d-%02d" | format(year | int, month | int, day | int) }}')
{%- endmacro %}
