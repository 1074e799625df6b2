{#- PostgreSQL's implementations of dbt's dispatched macros (adapters_sql); loaded on PostgreSQL and PGlite targets only, as dbt loads dbt-postgres's. -#}

{#- PostgreSQL: a session-local temporary table (no schema) tagged with the run's start time, within 63 characters. -#}
{% macro postgres__make_temp_relation(base_relation, suffix) -%}
    {%- set tag = suffix ~ run_started_at.strftime('%H%M%S%f') -%}
    {%- set identifier = base_relation.identifier[:63 - (tag | length)] ~ tag -%}
    {{ return(base_relation.incorporate(path={"identifier": identifier}).include(database=False, schema=False)) }}
{%- endmacro %}
