{#- dbt-adapters' adapters/validate_sql.sql (Apache-2.0), verbatim: SQL checked by the warehouse without running it
    (`explain`), which an adapter or project changes with an <adapter>__validate_sql. -#}

{% macro validate_sql(sql) -%}
  {{ return(adapter.dispatch('validate_sql', 'dbt')(sql)) }}
{% endmacro %}

{% macro default__validate_sql(sql) -%}
  {% call statement('validate_sql') -%}
    explain {{ sql }}
  {% endcall %}
  {{ return(load_result('validate_sql')) }}
{% endmacro %}
