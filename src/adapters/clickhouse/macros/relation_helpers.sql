{#- ClickHouse's implementations of dbt's dispatched macros (relation_helpers); loaded on ClickHouse targets only, as dbt loads dbt-clickhouse's. -#}

{% macro clickhouse__get_drop_sql(relation) -%}
    drop {{ 'view' if relation.type == 'view' else 'table' }} if exists {{ relation }}
{%- endmacro %}
{#- ClickHouse has no `cascade`: dbt's drop_table / drop_view as ClickHouse runs them. -#}
{% macro clickhouse__drop_table(relation) -%}
    drop table if exists {{ relation.render() }}
{%- endmacro %}
{% macro clickhouse__drop_view(relation) -%}
    drop view if exists {{ relation.render() }}
{%- endmacro %}

{#- dbt-clickhouse's external target mode: `{{ materialization_target_table(ref('events')) }}` in a
    materialized_view model registers the dependency (the ref) and names the table its view writes
    into, as a comment the materialization reads. -#}
{% macro materialization_target_table(target_relation) %}
-- materialization_target_table: {{ target_relation }}
{% endmacro %}
