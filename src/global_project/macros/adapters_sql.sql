{#-
  dbt's relation and DDL helpers: temporary relations, create table/view as, column changes,
  comments (persist_docs), hooks and sql_header. Each dispatches through
  adapter.dispatch(name, 'dbt'): default__ first, postgres__ / clickhouse__ where the SQL differs.
  Macros returning SQL only build it; the ones that change the warehouse run it with `statement`
  or `run_query`, which do nothing at parse time.
-#}

{#- A relation named after base_relation plus a suffix, for staging tables; in a microbatch batch
    dbt's default suffix takes the batch's id, so batches never share one. -#}
{% macro make_temp_relation(base_relation, suffix='__dbt_tmp') -%}
    {%- if suffix == '__dbt_tmp' and model.batch -%}
        {%- set suffix = suffix ~ '_' ~ model.batch.id -%}
    {%- endif -%}
    {{ return(adapter.dispatch('make_temp_relation', 'dbt')(base_relation, suffix)) }}
{%- endmacro %}
{% macro default__make_temp_relation(base_relation, suffix) -%}
    {{ return(base_relation.incorporate(path={"identifier": base_relation.identifier ~ suffix})) }}
{%- endmacro %}

{#- The statement creating `relation` (a temporary table when `temporary`) from a select. -#}
{% macro get_create_table_as_sql(temporary, relation, sql) -%}
    {{ return(adapter.dispatch('get_create_table_as_sql', 'dbt')(temporary, relation, sql)) }}
{%- endmacro %}
{% macro default__get_create_table_as_sql(temporary, relation, sql) -%}
    {{ return(dbt.create_table_as(temporary, relation, sql)) }}
{%- endmacro %}

{#- `create [temporary] table ... as (select)`, with the model's sql_header in front. The statement is
    the adapter's builder (adapter.tsdbt_sql), the one the built-in materializations send: a
    ClickHouse engine, ORDER BY and ON CLUSTER, PostgreSQL's `unlogged`, all from the config. -#}
{% macro create_table_as(temporary, relation, compiled_code, language='sql') -%}
    {%- if language != 'sql' -%}
        {{ exceptions.raise_compiler_error("create_table_as: only SQL models are supported (got language '" ~ language ~ "')") }}
    {%- endif -%}
    {{ return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code)) }}
{%- endmacro %}
{% macro default__create_table_as(temporary, relation, sql) -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {{ sql_header if sql_header is not none }}
    {{ adapter.tsdbt_sql.create_table_as(relation, sql, temporary=temporary) }}
{%- endmacro %}

{#- The statement creating view `relation` from a select. -#}
{% macro get_create_view_as_sql(relation, sql) -%}
    {{ return(adapter.dispatch('get_create_view_as_sql', 'dbt')(relation, sql)) }}
{%- endmacro %}
{% macro default__get_create_view_as_sql(relation, sql) -%}
    {{ return(dbt.create_view_as(relation, sql)) }}
{%- endmacro %}

{#- `create view ... as (select)`, with the model's sql_header in front (the adapter's builder). -#}
{% macro create_view_as(relation, sql) -%}
    {{ return(adapter.dispatch('create_view_as', 'dbt')(relation, sql)) }}
{%- endmacro %}
{% macro default__create_view_as(relation, sql) -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {{ sql_header if sql_header is not none }}
    {{ adapter.tsdbt_sql.create_view_as(relation, sql) }}
{%- endmacro %}

{#- A materialized view from a select, then its `indexes` (dbt-postgres's
    postgres__get_create_materialized_view_as_sql; the statements are the adapter's builders). -#}
{% macro get_create_materialized_view_as_sql(relation, sql) -%}
    {{- adapter.dispatch('get_create_materialized_view_as_sql', 'dbt')(relation, sql) -}}
{%- endmacro %}
{% macro default__get_create_materialized_view_as_sql(relation, sql) -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {{ sql_header if sql_header is not none }}
    {{ adapter.tsdbt_sql.create_materialized_view(relation, sql) }}
    {%- for index_dict in config.get('indexes', default=[]) or [] -%};
    {{ get_create_index_sql(relation, index_dict) }}
    {%- endfor -%}
{%- endmacro %}

{#- `refresh materialized view` (dbt's refresh_materialized_view). -#}
{% macro refresh_materialized_view(relation) -%}
    {{- log('Applying REFRESH to: ' ~ relation) -}}
    {{- adapter.dispatch('refresh_materialized_view', 'dbt')(relation) -}}
{%- endmacro %}
{% macro default__refresh_materialized_view(relation) -%}
    {{ adapter.tsdbt_sql.refresh_materialized_view(relation) }}
{%- endmacro %}

{#- Indexes from the `indexes` config (dbt-postgres): one get_create_index_sql per index dict, run in turn. -#}
{% macro create_indexes(relation) -%}
    {{ adapter.dispatch('create_indexes', 'dbt')(relation) }}
{%- endmacro %}
{% macro default__create_indexes(relation) -%}
    {%- for index_dict in config.get('indexes', default=[]) or [] -%}
        {%- set create_index_sql = get_create_index_sql(relation, index_dict) -%}
        {%- if create_index_sql -%}
            {%- do run_query(create_index_sql) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
{#- The statement creating one index ({columns, unique, type}), or none where the warehouse has no indexes. -#}
{% macro get_create_index_sql(relation, index_dict) -%}
    {{ return(adapter.dispatch('get_create_index_sql', 'dbt')(relation, index_dict)) }}
{%- endmacro %}
{% macro default__get_create_index_sql(relation, index_dict) -%}
    {{ return(adapter.tsdbt_sql.create_index(relation, index_dict)) }}
{%- endmacro %}

{#- A seed's table, created from its agate table (the CSV's header; types from adapter.convert_type and
    the column_types config); run here, as dbt's seed macros run it, and returned. `this` is the
    table being created. The adapter's builder writes the statement. -#}
{% macro create_csv_table(model, agate_table) -%}
    {{ return(adapter.dispatch('create_csv_table', 'dbt')(model, agate_table)) }}
{%- endmacro %}
{% macro default__create_csv_table(model, agate_table) -%}
    {%- set sql = adapter.tsdbt_sql.create_csv_table(this, agate_table) -%}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{%- endmacro %}

{#- Changes a column's type, keeping its values: add a new column, copy, drop the old one, rename. -#}
{% macro alter_column_type(relation, column_name, new_column_type) -%}
    {{ return(adapter.dispatch('alter_column_type', 'dbt')(relation, column_name, new_column_type)) }}
{%- endmacro %}
{% macro default__alter_column_type(relation, column_name, new_column_type) -%}
    {%- set column = adapter.quote(column_name) -%}
    {%- set tmp_column = adapter.quote(column_name ~ '__dbt_alter') -%}
    {% call statement('alter_column_type') %}
        alter table {{ relation }} add column {{ tmp_column }} {{ new_column_type }};
        update {{ relation }} set {{ tmp_column }} = {{ column }};
        alter table {{ relation }} drop column {{ column }} cascade;
        alter table {{ relation }} rename column {{ tmp_column }} to {{ column }}
    {% endcall %}
{%- endmacro %}

{#- Adds and drops columns (api.Column objects) in one alter statement, as dbt-adapters' columns.sql writes it. -#}
{% macro alter_relation_add_remove_columns(relation, add_columns = none, remove_columns = none) -%}
  {{ return(adapter.dispatch('alter_relation_add_remove_columns', 'dbt')(relation, add_columns, remove_columns)) }}
{% endmacro %}

{% macro default__alter_relation_add_remove_columns(relation, add_columns, remove_columns) %}

  {% if add_columns is none %}
    {% set add_columns = [] %}
  {% endif %}
  {% if remove_columns is none %}
    {% set remove_columns = [] %}
  {% endif %}

  {% set sql -%}

     alter {{ relation.type }} {{ relation.render() }}

            {% for column in add_columns %}
               add column {{ column.quoted }} {{ column.expanded_data_type }}{{ ',' if not loop.last }}
            {% endfor %}{{ ',' if add_columns and remove_columns }}

            {% for column in remove_columns %}
                drop column {{ column.quoted }}{{ ',' if not loop.last }}
            {% endfor %}

  {%- endset -%}

  {% do run_query(sql) %}

{% endmacro %}

{#- The statement setting a relation's comment (run it with run_query). -#}
{% macro alter_relation_comment(relation, relation_comment) -%}
    {{ return(adapter.dispatch('alter_relation_comment', 'dbt')(relation, relation_comment)) }}
{%- endmacro %}
{#- PostgreSQL's `comment on table|view|materialized view`; a relation without a type is looked up. -#}
{% macro default__alter_relation_comment(relation, relation_comment) -%}
    {%- set kind = relation.type -%}
    {%- if not kind and execute -%}
        {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- set kind = found.type if found else none -%}
    {%- endif -%}
    comment on {{ (kind or 'table') | replace('_', ' ') }} {{ relation }} is '{{ dbt.escape_single_quotes(relation_comment) }}'
{%- endmacro %}

{#- The statements commenting the columns of column_dict ({name: {name, description}}) present in the relation
    under that exact name, as dbt-postgres's `column_name in existing_columns`. -#}
{% macro alter_column_comment(relation, column_dict) -%}
    {{ return(adapter.dispatch('alter_column_comment', 'dbt')(relation, column_dict)) }}
{%- endmacro %}
{% macro default__alter_column_comment(relation, column_dict) -%}
    {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- set statements = [] -%}
    {%- for name, column in column_dict.items() -%}
        {%- if column.description and name in existing -%}
            {%- set column_sql = adapter.quote(name) if column.quote else name -%}
            {%- do statements.append('comment on column ' ~ relation ~ '.' ~ column_sql ~ " is '" ~ dbt.escape_single_quotes(column.description) ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ statements | join(';\n') }}
{%- endmacro %}

{#- Writes the model's descriptions as warehouse comments, as its persist_docs config asks. -#}
{% macro persist_docs(relation, model, for_relation=true, for_columns=true) -%}
    {{ return(adapter.dispatch('persist_docs', 'dbt')(relation, model, for_relation, for_columns)) }}
{%- endmacro %}
{% macro default__persist_docs(relation, model, for_relation, for_columns) -%}
    {%- if for_relation and config.persist_relation_docs() and model.description -%}
        {%- do run_query(dbt.alter_relation_comment(relation, model.description)) -%}
    {%- endif -%}
    {%- if for_columns and config.persist_column_docs() and model.columns -%}
        {%- set column_sql = dbt.alter_column_comment(relation, model.columns) | trim -%}
        {%- if column_sql -%}
            {%- do run_query(column_sql) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Runs hooks ({sql, transaction, index} dicts or SQL strings) whose transaction flag matches
    inside_transaction, as dbt does: a hook dict's SQL is a template, rendered now (`render`, in a
    materialization's context); before the first hook outside the transaction, what is open commits. -#}
{% macro run_hooks(hooks, inside_transaction=True) -%}
    {%- set state = namespace(committed=false) -%}
    {%- for hook in hooks or [] -%}
        {%- set in_transaction = true if hook is string or hook['transaction'] is not defined or hook['transaction'] is none else hook['transaction'] -%}
        {%- if (not in_transaction) == (not inside_transaction) -%}
            {%- if not inside_transaction and not state.committed -%}
                {%- do adapter.commit() -%}
                {%- set state.committed = true -%}
            {%- endif -%}
            {%- set hook_sql = hook if hook is string else hook['sql'] -%}
            {%- set rendered = ((render(hook_sql) if hook is not string and render is defined else hook_sql) or '') | trim -%}
            {%- if rendered -%}
                {% call statement(auto_begin=inside_transaction) %}
                    {{ rendered }}
                {% endcall %}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- Sets the model's sql_header config to the call block's body: {% call set_sql_header(config) %}...{% endcall %}. -#}
{% macro set_sql_header(config) -%}
    {{ config.set('sql_header', caller()) }}
{%- endmacro %}

{#- dbt clone: whether this warehouse can clone the node's table without copying it (else clone makes
    a view), and the statement making `this_relation` a clone of the state's `defer_relation`. -#}
{% macro can_clone_table() -%}
    {{ return(adapter.dispatch('can_clone_table', 'dbt')()) }}
{%- endmacro %}
{% macro default__can_clone_table() -%}
    {{ return(adapter.tsdbt_sql.can_clone_table()) }}
{%- endmacro %}
{% macro create_or_replace_clone(this_relation, defer_relation) -%}
    {{ return(adapter.dispatch('create_or_replace_clone', 'dbt')(this_relation, defer_relation)) }}
{%- endmacro %}
{% macro default__create_or_replace_clone(this_relation, defer_relation) -%}
    {{ adapter.tsdbt_sql.create_or_replace_clone(this_relation, defer_relation) }}
{%- endmacro %}
