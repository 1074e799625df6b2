{#- dbt's backup / intermediate relation helpers and the rename family, as dbt-adapters writes them (Apache-2.0):
    dbt-adapters/src/dbt/include/global_project/macros/relations/{create_backup,create_intermediate,drop_backup,
    rename_intermediate,rename,create,table/rename,view/rename}.sql. tsdbt's TypeScript materializations call none
    of these; they serve a project's or package's own copy of dbt's table, view or materialized view materialization.
    The `<adapter>__get_rename_table_sql` / `_view_sql` live in the adapters' macros/. -#}

{#- relations/create_backup.sql -#}
{%- macro get_create_backup_sql(relation) -%}
    {{- log('Applying CREATE BACKUP to: ' ~ relation) -}}
    {{- adapter.dispatch('get_create_backup_sql', 'dbt')(relation) -}}
{%- endmacro -%}

{%- macro default__get_create_backup_sql(relation) -%}

    -- get the standard backup name
    {% set backup_relation = make_backup_relation(relation, relation.type) %}

    -- drop any pre-existing backup
    {{ get_drop_sql(backup_relation) }};

    {{ get_rename_sql(relation, backup_relation.identifier) }}

{%- endmacro -%}

{#- relations/create_intermediate.sql -#}
{%- macro get_create_intermediate_sql(relation, sql) -%}
    {{- log('Applying CREATE INTERMEDIATE to: ' ~ relation) -}}
    {{- adapter.dispatch('get_create_intermediate_sql', 'dbt')(relation, sql) -}}
{%- endmacro -%}

{%- macro default__get_create_intermediate_sql(relation, sql) -%}

    -- get the standard intermediate name
    {% set intermediate_relation = make_intermediate_relation(relation) %}

    -- drop any pre-existing intermediate
    {{ get_drop_sql(intermediate_relation) }};

    {{ get_create_sql(intermediate_relation, sql) }}

{%- endmacro -%}

{#- relations/drop_backup.sql -#}
{%- macro get_drop_backup_sql(relation) -%}
    {{- log('Applying DROP BACKUP to: ' ~ relation) -}}
    {{- adapter.dispatch('get_drop_backup_sql', 'dbt')(relation) -}}
{%- endmacro -%}

{%- macro default__get_drop_backup_sql(relation) -%}

    -- get the standard backup name
    {% set backup_relation = make_backup_relation(relation, relation.type) %}

    {{ get_drop_sql(backup_relation) }}

{%- endmacro -%}

{#- relations/rename_intermediate.sql -#}
{%- macro get_rename_intermediate_sql(relation) -%}
    {{- log('Applying RENAME INTERMEDIATE to: ' ~ relation) -}}
    {{- adapter.dispatch('get_rename_intermediate_sql', 'dbt')(relation) -}}
{%- endmacro -%}

{%- macro default__get_rename_intermediate_sql(relation) -%}

    -- get the standard intermediate name
    {% set intermediate_relation = make_intermediate_relation(relation) %}

    {{ get_rename_sql(intermediate_relation, relation.identifier) }}

{%- endmacro -%}

{#- relations/rename.sql (rename_relation is in statements.sql) -#}
{%- macro get_rename_sql(relation, new_name) -%}
    {{- log('Applying RENAME to: ' ~ relation) -}}
    {{- adapter.dispatch('get_rename_sql', 'dbt')(relation, new_name) -}}
{%- endmacro -%}

{%- macro default__get_rename_sql(relation, new_name) -%}

    {%- if relation.is_view -%}
        {{ get_rename_view_sql(relation, new_name) }}

    {%- elif relation.is_table -%}
        {{ get_rename_table_sql(relation, new_name) }}

    {%- elif relation.is_materialized_view -%}
        {{ get_rename_materialized_view_sql(relation, new_name) }}

    {%- else -%}
        {{- exceptions.raise_compiler_error("`get_rename_sql` has not been implemented for: " ~ relation.type ) -}}

    {%- endif -%}

{%- endmacro -%}

{#- relations/table/rename.sql -#}
{% macro get_rename_table_sql(relation, new_name) %}
    {{- adapter.dispatch('get_rename_table_sql', 'dbt')(relation, new_name) -}}
{% endmacro %}

{% macro default__get_rename_table_sql(relation, new_name) %}
    {{ exceptions.raise_compiler_error(
        "`get_rename_table_sql` has not been implemented for this adapter."
    ) }}
{% endmacro %}

{#- relations/view/rename.sql -#}
{% macro get_rename_view_sql(relation, new_name) %}
    {{- adapter.dispatch('get_rename_view_sql', 'dbt')(relation, new_name) -}}
{% endmacro %}

{% macro default__get_rename_view_sql(relation, new_name) %}
    {{ exceptions.raise_compiler_error(
        "`get_rename_view_sql` has not been implemented for this adapter."
    ) }}
{% endmacro %}

{#- relations/materialized_view/rename.sql -#}
{% macro get_rename_materialized_view_sql(relation, new_name) %}
    {{- adapter.dispatch('get_rename_materialized_view_sql', 'dbt')(relation, new_name) -}}
{% endmacro %}

{% macro default__get_rename_materialized_view_sql(relation, new_name) %}
    {{ exceptions.raise_compiler_error(
        "`get_rename_materialized_view_sql` has not been implemented for this adapter."
    ) }}
{% endmacro %}

{#- relations/create.sql -#}
{%- macro get_create_sql(relation, sql) -%}
    {{- log('Applying CREATE to: ' ~ relation) -}}
    {{- adapter.dispatch('get_create_sql', 'dbt')(relation, sql) -}}
{%- endmacro -%}

{%- macro default__get_create_sql(relation, sql) -%}

    {%- if relation.is_view -%}
        {{ get_create_view_as_sql(relation, sql) }}

    {%- elif relation.is_table -%}
        {{ get_create_table_as_sql(False, relation, sql) }}

    {%- elif relation.is_materialized_view -%}
        {{ get_create_materialized_view_as_sql(relation, sql) }}

    {%- else -%}
        {{- exceptions.raise_compiler_error("`get_create_sql` has not been implemented for: " ~ relation.type ) -}}

    {%- endif -%}

{%- endmacro -%}
