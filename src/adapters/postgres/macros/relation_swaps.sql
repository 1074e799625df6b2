{#- dbt-postgres's renames (Apache-2.0): dbt-postgres/dbt/include/postgres/macros/relations/{table,view,materialized_view}/rename.sql;
    loaded on PostgreSQL and PGlite targets only. -#}

{% macro postgres__get_rename_table_sql(relation, new_name) %}
    alter table {{ relation }} rename to {{ new_name }}
{% endmacro %}

{% macro postgres__get_rename_view_sql(relation, new_name) %}
    alter view {{ relation }} rename to {{ new_name }}
{% endmacro %}

{% macro postgres__get_rename_materialized_view_sql(relation, new_name) %}
    alter materialized view {{ relation }} rename to {{ new_name }}
{% endmacro %}

{#- dbt-postgres' relations/view/replace.sql (Apache-2.0): dbt's get_replace_sql replaces a view in place. -#}
{% macro postgres__get_replace_view_sql(relation, sql) -%}

    {%- set sql_header = config.get('sql_header', none) -%}
    {{ sql_header if sql_header is not none }}

    create or replace view {{ relation }}
        {% set contract_config = config.get('contract') %}
        {% if contract_config.enforced %}
            {{ get_assert_columns_equivalent(sql) }}
        {%- endif %}
    as (
        {{ sql }}
    );

{%- endmacro %}
