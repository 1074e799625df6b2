{#- Small helpers from dbt's global project that project macros commonly call. -#}

{% macro should_store_failures() -%}
    {{ return(config.get('store_failures') or false) }}
{%- endmacro %}

{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {{ return("(select * from " ~ relation ~ " where " ~ where ~ ") dbt_subquery") }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}

{#- Whether the node is rebuilt from scratch: its `full_refresh` config when set, else --full-refresh. -#}
{% macro should_full_refresh() -%}
    {%- set configured = config.get('full_refresh') -%}
    {{ return(flags.FULL_REFRESH if configured is none else configured) }}
{%- endmacro %}
