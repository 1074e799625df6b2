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
