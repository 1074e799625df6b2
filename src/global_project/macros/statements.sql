{#- dbt's statement machinery: `{% call statement('name', fetch_result=True) %}`, load_result,
    run_query. adapter.execute, store_result and load_result are tsdbt's (warehouse-calls.ts):
    at parse time they do nothing, at execution time they run on the node's connection. -#}

{% macro statement(name=None, fetch_result=False, auto_begin=True, language='sql') -%}
    {%- if execute -%}
        {%- set compiled_code = caller() -%}
        {%- if name == 'main' and write is defined -%}
            {{ write(compiled_code) }}
        {%- endif -%}
        {%- set res, table = adapter.execute(compiled_code, auto_begin=auto_begin, fetch=fetch_result) -%}
        {%- if name is not none -%}
            {{ store_result(name, response=res, agate_table=table) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro noop_statement(name=None, message=None, code=None, rows_affected=None, res=None) -%}
    {%- set sql = caller() -%}
    {%- if name == 'main' and write is defined -%}
        {{ write(sql) }}
    {%- endif -%}
    {%- if name is not none -%}
        {{ store_raw_result(name, message=message, code=code, rows_affected=rows_affected, agate_table=res) }}
    {%- endif -%}
{%- endmacro %}

{% macro run_query(sql) %}
    {% call statement("run_query_statement", fetch_result=true, auto_begin=false) %}
        {{ sql }}
    {% endcall %}
    {#- As dbt's: while parsing nothing was stored, load_result gives None and `.table` of it an
        Undefined (empty, of length 0), so `run_query(...) | length == 0` holds there. -#}
    {% do return(load_result("run_query_statement").table) %}
{% endmacro %}

{#- The macros dbt's adapter runs by name (adapter.truncate_relation(r) is execute_macro('truncate_relation')):
    each dispatches as in dbt-adapters, and its default__ runs the adapter's builtin (adapter.tsdbt_builtin),
    so adapter.<name>() reaches a project's or package's replacement (adapter-executed-macros.ts). -#}
{% macro get_columns_in_relation(relation) -%}
    {{ return(adapter.dispatch('get_columns_in_relation', 'dbt')(relation)) }}
{%- endmacro %}
{% macro default__get_columns_in_relation(relation) -%}
    {{ return(adapter.tsdbt_builtin.get_columns_in_relation(relation)) }}
{%- endmacro %}

{% macro list_relations_without_caching(schema_relation) -%}
    {{ return(adapter.dispatch('list_relations_without_caching', 'dbt')(schema_relation)) }}
{%- endmacro %}
{% macro default__list_relations_without_caching(schema_relation) -%}
    {{ return(adapter.tsdbt_builtin.list_relations_without_caching(schema_relation)) }}
{%- endmacro %}

{% macro drop_relation(relation) -%}
    {{ return(adapter.dispatch('drop_relation', 'dbt')(relation)) }}
{%- endmacro %}
{% macro default__drop_relation(relation) -%}
    {% do adapter.tsdbt_builtin.drop_relation(relation) %}
{%- endmacro %}

{% macro drop_relation_if_exists(relation) -%}
    {% if relation is not none %}{% do adapter.drop_relation(relation) %}{% endif %}
{%- endmacro %}

{#- dbt-adapters: truncate_relation dispatches; default__ runs get_truncate_sql (the adapter's statement). -#}
{% macro truncate_relation(relation) -%}
    {{ return(adapter.dispatch('truncate_relation', 'dbt')(relation)) }}
{%- endmacro %}
{% macro default__truncate_relation(relation) -%}
    {% call statement('truncate_relation') -%}
        {{ get_truncate_sql(relation) }}
    {%- endcall %}
{%- endmacro %}
{% macro get_truncate_sql(relation) -%}
    {{ return(adapter.dispatch('get_truncate_sql', 'dbt')(relation)) }}
{%- endmacro %}
{% macro default__get_truncate_sql(relation) -%}
    {{ return(adapter.tsdbt_sql.truncate(relation)) }}
{%- endmacro %}

{% macro rename_relation(from_relation, to_relation) -%}
    {{ return(adapter.dispatch('rename_relation', 'dbt')(from_relation, to_relation)) }}
{%- endmacro %}
{% macro default__rename_relation(from_relation, to_relation) -%}
    {% do adapter.tsdbt_builtin.rename_relation(from_relation, to_relation) %}
{%- endmacro %}

{% macro create_schema(relation) -%}
    {{ return(adapter.dispatch('create_schema', 'dbt')(relation)) }}
{%- endmacro %}
{% macro default__create_schema(relation) -%}
    {% do adapter.tsdbt_builtin.create_schema(relation) %}
{%- endmacro %}

{% macro drop_schema(relation) -%}
    {{ return(adapter.dispatch('drop_schema', 'dbt')(relation)) }}
{%- endmacro %}
{% macro default__drop_schema(relation) -%}
    {% do adapter.tsdbt_builtin.drop_schema(relation) %}
{%- endmacro %}

{% macro check_schema_exists(information_schema, schema) -%}
    {{ return(adapter.dispatch('check_schema_exists', 'dbt')(information_schema, schema)) }}
{%- endmacro %}
{% macro default__check_schema_exists(information_schema, schema) -%}
    {{ return(adapter.tsdbt_builtin.check_schema_exists(information_schema.database if information_schema is not string else none, schema)) }}
{%- endmacro %}

{% macro get_columns_in_query(select_sql) -%}
    {{ return(adapter.dispatch('get_columns_in_query', 'dbt')(select_sql)) }}
{%- endmacro %}

{% macro default__get_columns_in_query(select_sql) %}
    {% call statement('get_columns_in_query', fetch_result=True, auto_begin=False) -%}
        {{ get_empty_subquery_sql(select_sql) }}
    {% endcall %}
    {% set result = load_result('get_columns_in_query') %}
    {{ return(result.table.columns | map(attribute='name') | list if result else []) }}
{% endmacro %}

{% macro get_empty_subquery_sql(select_sql, select_sql_header=none) -%}
    {{ return(adapter.dispatch('get_empty_subquery_sql', 'dbt')(select_sql, select_sql_header)) }}
{%- endmacro %}

{% macro default__get_empty_subquery_sql(select_sql, select_sql_header=none) %}
    {%- if select_sql_header is not none -%}
    {{ select_sql_header }}
    {%- endif -%}
    select * from (
        {{ select_sql }}
    ) as __dbt_sbq
    where false
    limit 0
{% endmacro %}

{% macro load_relation(relation) -%}
    {{ return(adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier)) }}
{%- endmacro %}

{% macro load_cached_relation(relation) -%}
    {{ return(load_relation(relation)) }}
{%- endmacro %}
