{#-
  dbt's on_schema_change helpers, which materializations written in Jinja call (copies of an
  adapter's incremental materialization): validate the config's value, compare a new batch's
  columns with the table's, and apply `append_new_columns` / `sync_all_columns` or fail.
  tsdbt's own incremental materialization does the same in TypeScript (incremental-schema.ts), and
  calls process_schema_changes instead where a project replaces one of these macros.
-#}

{#- The config's value when it is one dbt knows, else `default` (logged). -#}
{% macro incremental_validate_on_schema_change(on_schema_change, default='ignore') -%}
    {%- if on_schema_change not in ['sync_all_columns', 'append_new_columns', 'fail', 'ignore'] -%}
        {%- do log('Invalid value for on_schema_change (%s) specified. Setting default value of %s.' % (on_schema_change, default)) -%}
        {{ return(default) }}
    {%- else -%}
        {{ return(on_schema_change) }}
    {%- endif -%}
{%- endmacro %}

{#- What differs between the batch (source) and the table (target): a dict of the column lists. -#}
{% macro check_for_schema_changes(source_relation, target_relation) -%}
    {{ return(adapter.dispatch('check_for_schema_changes', 'dbt')(source_relation, target_relation)) }}
{%- endmacro %}
{% macro default__check_for_schema_changes(source_relation, target_relation) -%}
    {%- set source_columns = adapter.get_columns_in_relation(source_relation) -%}
    {%- set target_columns = adapter.get_columns_in_relation(target_relation) -%}
    {%- set source_not_in_target = diff_columns(source_columns, target_columns) -%}
    {%- set target_not_in_source = diff_columns(target_columns, source_columns) -%}
    {%- set new_target_types = diff_column_data_types(source_columns, target_columns) -%}
    {%- set schema_changed = source_not_in_target != [] or target_not_in_source != [] or new_target_types != [] -%}
    {%- do log('In ' ~ target_relation ~ ': schema changed: ' ~ schema_changed ~ '; source columns not in target: ' ~ source_not_in_target ~ '; target columns not in source: ' ~ target_not_in_source ~ '; new column types: ' ~ new_target_types) -%}
    {{ return({
        'schema_changed': schema_changed,
        'source_not_in_target': source_not_in_target,
        'target_not_in_source': target_not_in_source,
        'source_columns': source_columns,
        'target_columns': target_columns,
        'new_target_types': new_target_types
    }) }}
{%- endmacro %}

{#- Brings the table's columns to the batch's: adds (append_new_columns), or adds, removes and retypes (sync_all_columns). -#}
{% macro sync_column_schemas(on_schema_change, target_relation, schema_changes_dict) -%}
    {{ return(adapter.dispatch('sync_column_schemas', 'dbt')(on_schema_change, target_relation, schema_changes_dict)) }}
{%- endmacro %}
{% macro default__sync_column_schemas(on_schema_change, target_relation, schema_changes_dict) -%}
    {%- set add_to_target_arr = schema_changes_dict['source_not_in_target'] -%}
    {%- set remove_from_target_arr = schema_changes_dict['target_not_in_source'] -%}
    {%- set new_target_types = schema_changes_dict['new_target_types'] -%}
    {%- if on_schema_change == 'append_new_columns' -%}
        {%- if add_to_target_arr | length > 0 -%}
            {%- do alter_relation_add_remove_columns(target_relation, add_to_target_arr, none) -%}
        {%- endif -%}
    {%- elif on_schema_change == 'sync_all_columns' -%}
        {%- if add_to_target_arr | length > 0 or remove_from_target_arr | length > 0 -%}
            {%- do alter_relation_add_remove_columns(target_relation, add_to_target_arr, remove_from_target_arr) -%}
        {%- endif -%}
        {%- for ntt in new_target_types -%}
            {%- do alter_column_type(target_relation, ntt['column_name'], ntt['new_type']) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do log('In ' ~ target_relation ~ ': schema change approach: ' ~ on_schema_change ~ '; columns added: ' ~ add_to_target_arr ~ '; columns removed: ' ~ remove_from_target_arr ~ '; data types changed: ' ~ new_target_types) -%}
{%- endmacro %}

{#- Applies on_schema_change: {} for `ignore`, else the batch's columns (after failing or syncing). -#}
{% macro process_schema_changes(on_schema_change, source_relation, target_relation) -%}
    {{ return(adapter.dispatch('process_schema_changes', 'dbt')(on_schema_change, source_relation, target_relation)) }}
{%- endmacro %}
{% macro default__process_schema_changes(on_schema_change, source_relation, target_relation) -%}
    {%- if on_schema_change == 'ignore' -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set changes = check_for_schema_changes(source_relation, target_relation) -%}
    {#- dbt-adapters' guard, in its words: an empty source column list is an introspection failure
        (this run just built source_relation); sync_all_columns and fail refuse, append_new_columns
        warns and the materialization inserts with the target's columns. -#}
    {%- if changes['source_columns'] | length == 0 -%}
        {%- set empty_source_columns_msg -%}
          Could not read any columns for {{ source_relation }} while checking for schema changes on
          incremental model {{ target_relation }} (on_schema_change='{{ on_schema_change }}').

          This is a metadata failure rather than an empty schema: {{ source_relation }} was just
          built by this run, so it does have columns.

          Common causes:
            - the warehouse does not expose this temporary relation to the catalog views the
              adapter reads column metadata from
            - the connection's database differs from the one the temporary relation was created in

          {% if on_schema_change == 'append_new_columns' -%}
          Continuing, because on_schema_change='append_new_columns' never drops columns and dbt
          will insert using {{ target_relation }}'s existing columns. No new column can be
          detected this run, so if the model added one it stays missing until introspection works
          or you run with --full-refresh.
          {%- else -%}
          Refusing to continue: dbt cannot determine which columns changed, so it cannot safely
          apply on_schema_change='{{ on_schema_change }}'. With 'sync_all_columns' this would
          silently drop every column in {{ target_relation }}.

          Workarounds:
            - set on_schema_change='ignore' to skip this check
            - run the model with --full-refresh to rebuild it
          {%- endif %}
        {%- endset -%}
        {%- if on_schema_change == 'append_new_columns' -%}
            {%- do exceptions.warn(empty_source_columns_msg) -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error(empty_source_columns_msg) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if changes['schema_changed'] -%}
        {%- if on_schema_change == 'fail' -%}
            {%- do exceptions.raise_compiler_error('The source and target schemas on this incremental model are out of sync!'
                ~ ' They can be reconciled in several ways: set the `on_schema_change` config to either append_new_columns or sync_all_columns,'
                ~ ' re-run the incremental model with `full_refresh: True`, or update the schema manually and re-run.'
                ~ ' Source columns not in target: ' ~ changes['source_not_in_target']
                ~ '; target columns not in source: ' ~ changes['target_not_in_source']
                ~ '; new column types: ' ~ changes['new_target_types']) -%}
        {%- else -%}
            {%- do sync_column_schemas(on_schema_change, target_relation, changes) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(changes['source_columns']) }}
{%- endmacro %}
