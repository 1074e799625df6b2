{#-
  More of dbt's global project that project and package macros call: intermediate and backup
  relations, get_or_create_relation, drop helpers, the information schema's name, hook configs
  (before_begin / after_commit / in_transaction), column schema of a query, column diffs,
  equals, and the SQL pieces of incremental strategies (insert into, delete+insert, merge),
  which custom `get_incremental_<strategy>_sql` macros build on.
-#}

{#- The relation a model is built into before it replaces the existing one. -#}
{% macro make_intermediate_relation(base_relation, suffix='__dbt_tmp') -%}
    {{ return(adapter.dispatch('make_intermediate_relation', 'dbt')(base_relation, suffix)) }}
{%- endmacro %}
{% macro default__make_intermediate_relation(base_relation, suffix) -%}
    {{ return(base_relation.incorporate(path={"identifier": base_relation.identifier ~ suffix})) }}
{%- endmacro %}

{#- The name the existing relation is moved to while it is replaced. -#}
{% macro make_backup_relation(base_relation, backup_relation_type, suffix='__dbt_backup') -%}
    {{ return(adapter.dispatch('make_backup_relation', 'dbt')(base_relation, backup_relation_type, suffix)) }}
{%- endmacro %}
{% macro default__make_backup_relation(base_relation, backup_relation_type, suffix) -%}
    {{ return(base_relation.incorporate(path={"identifier": base_relation.identifier ~ suffix}, type=backup_relation_type)) }}
{%- endmacro %}

{#- (exists, relation): the relation found in the warehouse, or a new one of that type. -#}
{% macro get_or_create_relation(database, schema, identifier, type) -%}
    {{ return(adapter.dispatch('get_or_create_relation', 'dbt')(database, schema, identifier, type)) }}
{%- endmacro %}
{% macro default__get_or_create_relation(database, schema, identifier, type) -%}
    {%- set target_relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
    {%- if target_relation -%}
        {%- do return([true, target_relation]) -%}
    {%- endif -%}
    {%- set new_relation = api.Relation.create(database=database, schema=schema, identifier=identifier, type=type) -%}
    {%- do return([false, new_relation]) -%}
{%- endmacro %}

{#- dbt-adapters' drop family: get_drop_sql dispatches; its default picks drop_view,
    drop_materialized_view or drop_table by the relation's type, each dispatching in turn, so an
    adapter's or project's `<prefix>__drop_view` applies to every drop of a view. -#}
{% macro get_drop_sql(relation) -%}
    {{ return(adapter.dispatch('get_drop_sql', 'dbt')(relation)) }}
{%- endmacro %}
{% macro default__get_drop_sql(relation) -%}
    {%- if relation.is_view -%}
        {{ drop_view(relation) }}
    {%- elif relation.is_materialized_view -%}
        {{ drop_materialized_view(relation) }}
    {%- else -%}
        {{ drop_table(relation) }}
    {%- endif -%}
{%- endmacro %}
{% macro drop_table(relation) -%}
    {{- adapter.dispatch('drop_table', 'dbt')(relation) -}}
{%- endmacro %}
{% macro default__drop_table(relation) -%}
    drop table if exists {{ relation.render() }} cascade
{%- endmacro %}
{% macro drop_view(relation) -%}
    {{- adapter.dispatch('drop_view', 'dbt')(relation) -}}
{%- endmacro %}
{% macro default__drop_view(relation) -%}
    drop view if exists {{ relation.render() }} cascade
{%- endmacro %}
{% macro drop_materialized_view(relation) -%}
    {{- adapter.dispatch('drop_materialized_view', 'dbt')(relation) -}}
{%- endmacro %}
{% macro default__drop_materialized_view(relation) -%}
    drop materialized view if exists {{ relation.render() }} cascade
{%- endmacro %}

{#- Dispatched as dbt-adapters' relations/schema.sql, so a project's `<adapter>__drop_schema_named` replaces it. -#}
{% macro drop_schema_named(schema_name) -%}
    {{ return(adapter.dispatch('drop_schema_named', 'dbt')(schema_name)) }}
{%- endmacro %}

{% macro default__drop_schema_named(schema_name) -%}
    {%- set schema_relation = api.Relation.create(database=target.database, schema=schema_name) -%}
    {%- do adapter.drop_schema(schema_relation) -%}
{%- endmacro %}

{#- The database's information schema: `"db".INFORMATION_SCHEMA`. -#}
{% macro information_schema_name(database) -%}
    {{ return(adapter.dispatch('information_schema_name', 'dbt')(database)) }}
{%- endmacro %}
{% macro default__information_schema_name(database) -%}
    {%- if database -%}
        {{ adapter.quote(database) }}.INFORMATION_SCHEMA
    {%- else -%}
        INFORMATION_SCHEMA
    {%- endif -%}
{%- endmacro %}

{#- Hook configs: run a hook outside (before_begin / after_commit) or inside the transaction. -#}
{% macro make_hook_config(sql, inside_transaction) -%}
    {{ return({"sql": sql, "transaction": inside_transaction}) }}
{%- endmacro %}
{% macro before_begin(sql) -%}
    {{ return(make_hook_config(sql, inside_transaction=False)) }}
{%- endmacro %}
{% macro in_transaction(sql) -%}
    {{ return(make_hook_config(sql, inside_transaction=True)) }}
{%- endmacro %}
{% macro after_commit(sql) -%}
    {{ return(make_hook_config(sql, inside_transaction=False)) }}
{%- endmacro %}

{#- The columns (api.Column, with data types) a select returns, read without scanning data. -#}
{% macro get_column_schema_from_query(select_sql, select_sql_header=none) -%}
    {%- set sql = get_empty_subquery_sql(select_sql, select_sql_header) -%}
    {{ return(adapter.get_column_schema_from_query(sql)) }}
{%- endmacro %}

{#- Columns of source_columns whose name is not in target_columns (case-insensitive). -#}
{% macro diff_columns(source_columns, target_columns) -%}
    {%- set result = [] -%}
    {%- set target_names = target_columns | map(attribute='column') | map('lower') | list -%}
    {%- for col in source_columns -%}
        {%- if col.column | lower not in target_names -%}
            {%- do result.append(col) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}

{#- Columns present in both lists whose data types differ: {column_name, new_type}. -#}
{#- Dispatches as dbt-adapters' column_helpers.sql does; default__ compares expanded_data_type, as it does since dbt-adapters 1.21. -#}
{% macro diff_column_data_types(source_columns, target_columns) -%}
    {{ return(adapter.dispatch('diff_column_data_types', 'dbt')(source_columns, target_columns)) }}
{%- endmacro %}
{% macro default__diff_column_data_types(source_columns, target_columns) -%}
    {%- set result = [] -%}
    {%- for sc in source_columns -%}
        {%- set tc = target_columns | selectattr('name', 'equalto', sc.name) | list | first -%}
        {%- if tc and sc.expanded_data_type != tc.expanded_data_type and not sc.can_expand_to(other_column=tc) -%}
            {%- do result.append({'column_name': tc.name, 'new_type': sc.expanded_data_type}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}

{#- `expr1 = expr2` (cross-database macro). -#}
{% macro equals(expr1, expr2) -%}
    {{ return(adapter.dispatch('equals', 'dbt')(expr1, expr2)) }}
{%- endmacro %}
{% macro default__equals(expr1, expr2) -%}
    ({{ expr1 }} = {{ expr2 }})
{%- endmacro %}

{% macro get_true_sql() -%}
    {{ return(adapter.dispatch('get_true_sql', 'dbt')()) }}
{%- endmacro %}
{% macro default__get_true_sql() -%}
    {{ return('TRUE') }}
{%- endmacro %}

{#- dbt-adapters' show.sql: get_show_sql (dbt show) puts the header before the query, limited
    by get_limit_sql, which dispatches (`<prefix>__get_limit_sql`). -#}
{% macro get_show_sql(compiled_code, sql_header, limit) -%}
  {%- if sql_header is not none -%}
  {{ sql_header }}
  {%- endif %}
  {{ get_limit_subquery_sql(compiled_code, limit) }}
{% endmacro %}
{%- macro get_limit_subquery_sql(sql, limit) -%}
  {{ adapter.dispatch('get_limit_sql', 'dbt')(sql, limit) }}
{%- endmacro -%}
{% macro default__get_limit_sql(sql, limit) %}
  {{ sql }}
  {% if limit is not none %}
  limit {{ limit }}
  {%- endif -%}
{% endmacro %}

{#- `select <the model's contract columns> from (sql)`, in contract order. -#}
{% macro get_select_subquery(sql) -%}
    {{ return(adapter.dispatch('get_select_subquery', 'dbt')(sql)) }}
{%- endmacro %}
{% macro default__get_select_subquery(sql) -%}
    select {{ adapter.dispatch('get_column_names', 'dbt')() }}
    from (
        {{ sql }}
    ) as model_subq
{%- endmacro %}
{% macro default__get_column_names() -%}
    {%- if model.columns -%}
        {%- for name in model.columns -%}{{ adapter.quote(name) if model.columns[name].quote else name }}{{ ", " if not loop.last }}{%- endfor -%}
    {%- else -%}
        *
    {%- endif -%}
{%- endmacro %}

{#- Column names, each quoted (dbt's get_quoted_csv), joined with ', '. -#}
{% macro get_quoted_csv(column_names) -%}
    {%- set quoted = [] -%}
    {%- for col in column_names -%}
        {%- do quoted.append(adapter.quote(col)) -%}
    {%- endfor -%}
    {{ return(quoted | join(', ')) }}
{%- endmacro %}

{#- Seeds' bind parameter and batch size (the `%s` placeholder of the Python drivers). -#}
{% macro get_binding_char() -%}
    {{ return(adapter.dispatch('get_binding_char', 'dbt')()) }}
{%- endmacro %}
{% macro default__get_binding_char() -%}
    {{ return('%s') }}
{%- endmacro %}
{% macro get_batch_size() -%}
    {{ return(adapter.dispatch('get_batch_size', 'dbt')()) }}
{%- endmacro %}
{% macro default__get_batch_size() -%}
    {{ return(10000) }}
{%- endmacro %}

{#- `insert into target (cols) select cols from temp`. -#}
{% macro get_insert_into_sql(target_relation, temp_relation, dest_columns) -%}
    {%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute="name")) -%}
    insert into {{ target_relation }} ({{ dest_cols_csv }})
    (
        select {{ dest_cols_csv }}
        from {{ temp_relation }}
    )
{%- endmacro %}

{#- Incremental strategies as SQL (arg_dict: target_relation, temp_relation, unique_key, dest_columns, incremental_predicates). -#}
{% macro get_incremental_append_sql(arg_dict) -%}
    {{ return(adapter.dispatch('get_incremental_append_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}
{% macro default__get_incremental_append_sql(arg_dict) -%}
    {% do return(get_insert_into_sql(arg_dict["target_relation"], arg_dict["temp_relation"], arg_dict["dest_columns"])) %}
{%- endmacro %}

{% macro get_incremental_delete_insert_sql(arg_dict) -%}
    {{ return(adapter.dispatch('get_incremental_delete_insert_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}
{% macro default__get_incremental_delete_insert_sql(arg_dict) -%}
    {% do return(get_delete_insert_merge_sql(arg_dict["target_relation"], arg_dict["temp_relation"], arg_dict["unique_key"], arg_dict["dest_columns"], arg_dict["incremental_predicates"])) %}
{%- endmacro %}

{% macro get_incremental_merge_sql(arg_dict) -%}
    {{ return(adapter.dispatch('get_incremental_merge_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}
{% macro default__get_incremental_merge_sql(arg_dict) -%}
    {% do return(get_merge_sql(arg_dict["target_relation"], arg_dict["temp_relation"], arg_dict["unique_key"], arg_dict["dest_columns"], arg_dict["incremental_predicates"])) %}
{%- endmacro %}

{#- dbt-adapters' dispatchers of the microbatch and insert_overwrite strategies (strategies.sql). tsdbt's built-in
    incremental materialization applies both itself unless a project replaces these. -#}
{% macro get_incremental_insert_overwrite_sql(arg_dict) -%}
    {{ return(adapter.dispatch('get_incremental_insert_overwrite_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}
{% macro default__get_incremental_insert_overwrite_sql(arg_dict) -%}
    {% do return(get_insert_overwrite_merge_sql(arg_dict["target_relation"], arg_dict["temp_relation"], arg_dict["dest_columns"], arg_dict["incremental_predicates"])) %}
{%- endmacro %}

{% macro get_incremental_microbatch_sql(arg_dict) -%}
    {{ return(adapter.dispatch('get_incremental_microbatch_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}
{% macro default__get_incremental_microbatch_sql(arg_dict) -%}
    {{ exceptions.raise_not_implemented('microbatch materialization strategy not implemented for adapter ' + adapter.type()) }}
{%- endmacro %}

{% macro get_incremental_default_sql(arg_dict) -%}
    {{ return(adapter.dispatch('get_incremental_default_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}
{% macro default__get_incremental_default_sql(arg_dict) -%}
    {% do return(get_incremental_append_sql(arg_dict)) %}
{%- endmacro %}

{#- Delete the target's rows matching the new rows on unique_key, then insert the new rows. -#}
{% macro get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
    {{ return(adapter.dispatch('get_delete_insert_merge_sql', 'dbt')(target, source, unique_key, dest_columns, incremental_predicates)) }}
{%- endmacro %}
{% macro default__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
    {%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute="name")) -%}
    {%- if unique_key -%}
        {%- set keys = unique_key if unique_key is sequence and unique_key is not string else [unique_key] -%}
        delete from {{ target }}
        where exists (
            select 1 from {{ source }}
            where
            {%- for key in keys %}
                {{ source }}.{{ key }} = {{ target }}.{{ key }}{{ " and " if not loop.last }}
            {%- endfor %}
        )
        {%- if incremental_predicates %}
            {%- for predicate in incremental_predicates %}
            and {{ predicate }}
            {%- endfor %}
        {%- endif %};
    {% endif -%}
    insert into {{ target }} ({{ dest_cols_csv }})
    (
        select {{ dest_cols_csv }}
        from {{ source }}
    )
{%- endmacro %}

{#- SQL MERGE on unique_key (update matched rows, insert the others); without a key, an insert. -#}
{% macro get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
    {{ return(adapter.dispatch('get_merge_sql', 'dbt')(target, source, unique_key, dest_columns, incremental_predicates)) }}
{%- endmacro %}
{% macro default__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
    {%- set predicates = [] if incremental_predicates is none else [] + incremental_predicates -%}
    {%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute="name")) -%}
    {%- set merge_update_columns = config.get('merge_update_columns') -%}
    {%- set merge_exclude_columns = config.get('merge_exclude_columns') -%}
    {%- set update_columns = get_merge_update_columns(merge_update_columns, merge_exclude_columns, dest_columns) -%}
    {%- if unique_key -%}
        {%- set keys = unique_key if unique_key is sequence and unique_key is not string else [unique_key] -%}
        {%- for key in keys -%}
            {%- do predicates.append("DBT_INTERNAL_SOURCE." ~ key ~ " = DBT_INTERNAL_DEST." ~ key) -%}
        {%- endfor -%}
    {%- else -%}
        {%- do predicates.append('FALSE') -%}
    {%- endif -%}
    merge into {{ target }} as DBT_INTERNAL_DEST
        using {{ source }} as DBT_INTERNAL_SOURCE
        on {{ predicates | join(' and ') }}
    {%- if unique_key %}
    when matched then update set
        {%- for column_name in update_columns %}
        {{ column_name }} = DBT_INTERNAL_SOURCE.{{ column_name }}{{ "," if not loop.last }}
        {%- endfor %}
    {%- endif %}
    when not matched then insert ({{ dest_cols_csv }})
    values ({% for name in dest_columns | map(attribute="name") %}DBT_INTERNAL_SOURCE.{{ adapter.quote(name) }}{{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}

{#- The quoted columns a merge updates: merge_update_columns, or all but merge_exclude_columns. -#}
{% macro get_merge_update_columns(merge_update_columns, merge_exclude_columns, dest_columns) -%}
    {{ return(adapter.dispatch('get_merge_update_columns', 'dbt')(merge_update_columns, merge_exclude_columns, dest_columns)) }}
{%- endmacro %}
{% macro default__get_merge_update_columns(merge_update_columns, merge_exclude_columns, dest_columns) -%}
    {%- set default_cols = dest_columns | map(attribute="name") | list -%}
    {%- if merge_update_columns and merge_exclude_columns -%}
        {{ exceptions.raise_compiler_error('Model cannot specify merge_update_columns and merge_exclude_columns. Please update model to use only one config') }}
    {%- elif merge_update_columns -%}
        {%- set update_columns = merge_update_columns -%}
    {%- elif merge_exclude_columns -%}
        {%- set excluded = merge_exclude_columns | map("lower") | list -%}
        {%- set update_columns = [] -%}
        {%- for name in default_cols -%}
            {%- if name | lower not in excluded -%}{%- do update_columns.append(name) -%}{%- endif -%}
        {%- endfor -%}
    {%- else -%}
        {%- set update_columns = default_cols -%}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for name in update_columns -%}{%- do quoted.append(adapter.quote(name)) -%}{%- endfor -%}
    {{ return(quoted) }}
{%- endmacro %}

{#- `dbt.is_incremental()`: the same answer as the context's is_incremental() (an existing table, an incremental model, no full refresh). -#}
{% macro is_incremental() -%}
    {{ return(builtins.is_incremental()) }}
{%- endmacro %}

{#- A data test's summary row (failures, should_warn, should_error) over its failing rows; the built-in
    test materialization sends the same statement unless a project replaces this macro. -#}
{% macro get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) -%}
    {{ adapter.dispatch('get_test_sql', 'dbt')(main_sql, fail_calc, warn_if, error_if, limit) }}
{%- endmacro %}
{% macro default__get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) -%}
    select
        {{ fail_calc }} as failures,
        case when {{ fail_calc }} {{ warn_if }} then true else false end as should_warn,
        case when {{ fail_calc }} {{ error_if }} then true else false end as should_error
    from (
        {{ main_sql }}
        {{ "limit " ~ limit if limit != none }}
    ) dbt_internal_test
{%- endmacro %}

{#- A unit test's rows: the model's (actual) and the expected ones, tagged in actual_or_expected (dbt's
    get_unit_test_sql); tsdbt compares them as multisets when a project replaces this macro. -#}
{% macro get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
    {{ adapter.dispatch('get_unit_test_sql', 'dbt')(main_sql, expected_fixture_sql, expected_column_names) }}
{%- endmacro %}
{% macro default__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
with dbt_internal_unit_test_actual as (
  select
    {% for name in expected_column_names %}{{ name }}{% if not loop.last -%},{% endif %}{%- endfor -%}, {{ dbt.string_literal("actual") }} as {{ adapter.quote("actual_or_expected") }}
  from (
    {{ main_sql }}
  ) _dbt_internal_unit_test_actual
),
dbt_internal_unit_test_expected as (
  select
    {% for name in expected_column_names %}{{ name }}{% if not loop.last -%}, {% endif %}{%- endfor -%}, {{ dbt.string_literal("expected") }} as {{ adapter.quote("actual_or_expected") }}
  from (
    {{ expected_fixture_sql }}
  ) _dbt_internal_unit_test_expected
)
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected
{%- endmacro %}

{#- dbt-adapters' merge.sql helpers that projects' own strategies call. -#}
{% macro get_merge_unique_key_match(source_unique_key, target_unique_key) %}
  {{ return(adapter.dispatch('get_merge_unique_key_match', 'dbt')(source_unique_key, target_unique_key)) }}
{% endmacro %}
{% macro default__get_merge_unique_key_match(source_unique_key, target_unique_key) -%}
    {{ return(equals(source_unique_key, target_unique_key) | trim) }}
{%- endmacro %}

{% macro get_insert_overwrite_merge_sql(target, source, dest_columns, predicates, include_sql_header=false) -%}
  {{ adapter.dispatch('get_insert_overwrite_merge_sql', 'dbt')(target, source, dest_columns, predicates, include_sql_header) }}
{%- endmacro %}
{% macro default__get_insert_overwrite_merge_sql(target, source, dest_columns, predicates, include_sql_header) -%}
    {#-- The only time include_sql_header is True: --#}
    {#-- BigQuery + insert_overwrite strategy + "static" partitions config --#}
    {#-- We should consider including the sql header at the materialization level instead --#}

    {%- set predicates = [] if predicates is none else [] + predicates -%}
    {%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute="name")) -%}
    {%- set sql_header = config.get('sql_header', none) -%}

    {{ sql_header if sql_header is not none and include_sql_header }}

    merge into {{ target }} as DBT_INTERNAL_DEST
        using {{ source }} as DBT_INTERNAL_SOURCE
        on FALSE

    when not matched by source
        {% if predicates %} and {{ predicates | join(' and ') }} {% endif %}
        then delete

    when not matched then insert
        ({{ dest_cols_csv }})
    values
        ({{ dest_cols_csv }})

{% endmacro %}
