{#-
  dbt's contract helpers (dbt-adapters' columns_spec_ddl.sql), as projects' copies of dbt-postgres's
  create_table_as call them: get_assert_columns_equivalent(sql) checks the query's columns against
  the contract, get_table_columns_and_constraints() renders the declared column list. When tsdbt's
  table materialization calls a project's create_table_as for a contracted model, it has already
  checked the contract (with a column-by-column report) and hands over the adapter's column list as
  `tsdbt_contract_columns`; elsewhere (a materialization written in Jinja) the check runs here.
-#}

{%- macro get_table_columns_and_constraints() -%}
    {{ adapter.dispatch('get_table_columns_and_constraints', 'dbt')() }}
{%- endmacro -%}
{% macro default__get_table_columns_and_constraints() -%}
    {{ return(table_columns_and_constraints()) }}
{%- endmacro %}
{% macro table_columns_and_constraints() -%}
    {%- if tsdbt_contract_columns is defined -%}
        {{ return(tsdbt_contract_columns) }}
    {%- endif -%}
    {{ return(adapter.tsdbt_sql.contract_columns()) }}
{%- endmacro %}

{%- macro get_columns_and_constraints_clause(sql) -%}
    {{ adapter.dispatch('get_columns_and_constraints_clause', 'dbt')(sql) }}
{%- endmacro -%}
{% macro default__get_columns_and_constraints_clause(sql) -%}
    {{ get_assert_columns_equivalent(sql) }}
    {{ get_table_columns_and_constraints() }}
{%- endmacro %}

{%- macro get_assert_columns_equivalent(sql) -%}
    {{ adapter.dispatch('get_assert_columns_equivalent', 'dbt')(sql) }}
{%- endmacro -%}
{% macro default__get_assert_columns_equivalent(sql) -%}
    {{ return(assert_columns_equivalent(sql)) }}
{%- endmacro %}

{#- Raises dbt's contract error when the query's columns differ from the contract's in name, type or number. -#}
{% macro assert_columns_equivalent(sql) -%}
    {%- if tsdbt_contract_columns is defined -%}
        {{ return('') }}
    {%- endif -%}
    {%- set user_defined_columns = model['columns'] -%}
    {%- if not user_defined_columns -%}
        {{ exceptions.raise_contract_error([], []) }}
    {%- endif -%}
    {%- set sql_columns = format_columns(get_column_schema_from_query(sql, config.get('sql_header', none))) -%}
    {%- set yaml_columns = format_columns(get_column_schema_from_query(get_empty_schema_sql(user_defined_columns))) -%}
    {%- if sql_columns | length != yaml_columns | length -%}
        {%- do exceptions.raise_contract_error(yaml_columns, sql_columns) -%}
    {%- endif -%}
    {%- for sql_col in sql_columns -%}
        {%- set yaml_col = yaml_columns | selectattr('name', 'equalto', sql_col['name']) | list -%}
        {%- if not yaml_col or sql_col['formatted'] != yaml_col[0]['formatted'] -%}
            {%- do exceptions.raise_contract_error(yaml_columns, sql_columns) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{% macro format_columns(columns) -%}
    {%- set formatted = [] -%}
    {%- for column in columns -%}
        {%- do formatted.append(adapter.dispatch('format_column', 'dbt')(column)) -%}
    {%- endfor -%}
    {{ return(formatted) }}
{%- endmacro %}
{% macro default__format_column(column) -%}
    {{ return({'name': column.name, 'data_type': column.dtype, 'formatted': column.column.lower() ~ ' ' ~ column.dtype}) }}
{%- endmacro %}

{#- `select cast(null as <type>) as <name>, ...` over the contract's columns. -#}
{% macro get_empty_schema_sql(columns) -%}
    {{ return(adapter.dispatch('get_empty_schema_sql', 'dbt')(columns)) }}
{%- endmacro %}
{% macro default__get_empty_schema_sql(columns) -%}
    {%- set missing = [] -%}
    {%- set naked_numeric = [] -%}
    select
    {%- for name in columns %}
        {%- set col = columns[name] -%}
        {%- if not col['data_type'] -%}{%- do missing.append(col['name']) -%}
        {%- elif col['data_type'].strip().lower() in ('numeric', 'decimal', 'number') -%}{%- do naked_numeric.append(col['name']) -%}{%- endif %}
        {{ cast('null', col['data_type'] or 'text') }} as {{ adapter.quote(col['name']) if col['quote'] else col['name'] }}{{ ", " if not loop.last }}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error('Contracted models require data_type to be defined for each column. Please ensure the following columns have a data_type defined: ' ~ missing) }}
    {%- elif naked_numeric -%}
        {{ exceptions.warn("Detected columns with numeric type and unspecified precision/scale, this can lead to unintended rounding: " ~ naked_numeric ~ "`") }}
    {%- endif -%}
{%- endmacro %}
