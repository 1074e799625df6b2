{#- Whole seconds from one timestamp to another (negative when end_ts is before start_ts), on any
    target: dbt's cross-database datediff. -#}
{% macro seconds_between(start_ts, end_ts) -%}
    cast({{ dbt.datediff(start_ts, end_ts, 'second') }} as {{ dbt.type_int() }})
{%- endmacro %}
