{#- PostgreSQL's implementations of dbt's dispatched macros (adapters_sql); loaded on PostgreSQL and PGlite targets only, as dbt loads dbt-postgres's. -#}

{#- PostgreSQL: a session-local temporary table, within 63 characters, as dbt-postgres makes it: no
    schema or database (so `include(schema=True)` still renders the bare name), and a time tag that
    differs on every call (the invocation's start, one microsecond later per call of the render). -#}
{% macro postgres__make_temp_relation(base_relation, suffix) -%}
    {%- set tag = suffix ~ (adapter.tsdbt_sql.temp_tag() if adapter.tsdbt_sql is defined else run_started_at.strftime('%H%M%S%f')) -%}
    {%- set identifier = base_relation.identifier[:63 - (tag | length)] ~ tag -%}
    {{ return(base_relation.incorporate(path={"identifier": identifier, "schema": none, "database": none})) }}
{%- endmacro %}
