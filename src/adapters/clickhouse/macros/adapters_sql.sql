{#- ClickHouse's implementations of dbt's dispatched macros (adapters_sql); loaded on ClickHouse targets only, as dbt loads dbt-clickhouse's. -#}

{#- ClickHouse converts a column in place. -#}
{% macro clickhouse__alter_column_type(relation, column_name, new_column_type) -%}
    {% call statement('alter_column_type') %}
        alter table {{ relation }} modify column {{ adapter.quote(column_name) }} {{ new_column_type }}
    {% endcall %}
{%- endmacro %}

{% macro clickhouse__alter_relation_comment(relation, relation_comment) -%}
    alter table {{ relation }} modify comment '{{ dbt.escape_single_quotes(relation_comment) }}'
{%- endmacro %}

{#- ClickHouse: one `alter table` with a `comment column` per column. -#}
{% macro clickhouse__alter_column_comment(relation, column_dict) -%}
    {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- set changes = [] -%}
    {%- for name, column in column_dict.items() -%}
        {%- if column.description and (name | lower) in existing -%}
            {%- do changes.append('comment column ' ~ adapter.quote(name) ~ " '" ~ dbt.escape_single_quotes(column.description) ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if changes -%}
        alter table {{ relation }} {{ changes | join(', ') }}
    {%- endif -%}
{%- endmacro %}

{#- dbt-clickhouse's macros (not dispatched) that copies of its materializations call. -#}

{#- ` ON CLUSTER <cluster>` (with SYNC when asked) where DDL goes to the profile's cluster, else nothing. -#}
{% macro on_cluster_clause(relation, force_sync=false) -%}
    {%- set active_cluster = adapter.get_clickhouse_cluster_name() -%}
    {%- if active_cluster is not none and adapter.should_on_cluster() %} ON CLUSTER {{ active_cluster }}{% if force_sync %} SYNC{% endif %}{%- endif -%}
{%- endmacro %}

{#- Swaps two tables (or dictionaries) in one atomic step. -#}
{% macro exchange_tables_atomic(old_relation, target_relation, obj_types='TABLES') -%}
    {%- call statement('exchange_tables_atomic') -%}
        EXCHANGE {{ obj_types }} {{ old_relation }} AND {{ target_relation }}{{ on_cluster_clause(target_relation) }}
    {%- endcall -%}
{%- endmacro %}
