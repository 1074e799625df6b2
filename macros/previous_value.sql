{#-
  The previous row's value of `expression` within a window (NULL on the first row): `lag()` on
  PostgreSQL; ClickHouse spells it lagInFrame over an explicit frame, and returns the type's
  default instead of NULL unless the value is made Nullable first.
-#}
{% macro previous_value(expression, partition_by, order_by) -%}
    {{ return(adapter.dispatch('previous_value', 'session_analytics')(expression, partition_by, order_by)) }}
{%- endmacro %}

{% macro default__previous_value(expression, partition_by, order_by) -%}
    lag({{ expression }}) over (partition by {{ partition_by }} order by {{ order_by }})
{%- endmacro %}

{% macro clickhouse__previous_value(expression, partition_by, order_by) -%}
    lagInFrame(toNullable({{ expression }})) over (partition by {{ partition_by }} order by {{ order_by }} rows between unbounded preceding and current row)
{%- endmacro %}
