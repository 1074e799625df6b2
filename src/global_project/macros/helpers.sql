{#- Small helpers from dbt's global project that project macros commonly call. -#}

{% macro should_store_failures() -%}
    {{ return(config.get('store_failures') or false) }}
{%- endmacro %}

{#- Copied from dbt-adapters (materializations/tests/where_subquery.sql): dispatched, so a project's
    `get_where_subquery` or `<adapter>__get_where_subquery` replaces it, as dbt's docs on `where` say. -#}
{% macro get_where_subquery(relation) -%}
    {% do return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) %}
{%- endmacro %}

{% macro default__get_where_subquery(relation) -%}
    {% set where = config.get('where', '') %}
    {% if where %}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {% do return(filtered) %}
    {%- else -%}
        {% do return(relation) %}
    {%- endif -%}
{%- endmacro %}

{#- Whether the node is rebuilt from scratch: its `full_refresh` config when set, else --full-refresh. -#}
{% macro should_full_refresh() -%}
    {%- set configured = config.get('full_refresh') -%}
    {{ return(flags.FULL_REFRESH if configured is none else configured) }}
{%- endmacro %}
