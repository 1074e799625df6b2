{#- ClickHouse's implementations of dbt's dispatched macros (grants); loaded on ClickHouse targets only, as dbt loads dbt-clickhouse's. -#}

{% macro clickhouse__get_show_grant_sql(relation) -%}
    select access_type as privilege_type, coalesce(user_name, role_name) as grantee
    from system.grants
    where table = '{{ relation.identifier }}' and database = '{{ relation.schema }}'
{%- endmacro %}

{#- ClickHouse takes one statement per request. -#}
{% macro clickhouse__call_dcl_statements(dcl_statement_list) -%}
    {%- for dcl_statement in dcl_statement_list -%}
        {% call statement('grants') %}{{ dcl_statement }}{% endcall %}
    {%- endfor -%}
{%- endmacro %}
