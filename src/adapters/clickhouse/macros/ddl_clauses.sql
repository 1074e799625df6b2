{#- dbt-clickhouse's DDL-clause macros (materializations/table.sql, view.sql, adapters.sql), not dispatched, which copies of
    its materializations and project overrides (a `clickhouse__create_table_as`, a custom
    materialized-view materialization) call: each reads the model's config as dbt-clickhouse's does. -#}

{#- `engine = <engine>`, MergeTree() by default. -#}
{% macro engine_clause() %}
  engine = {{ config.get('engine', default='MergeTree()') }}
{%- endmacro -%}

{#- `<label> (<col>, ...)` from `partition_by` (a name or a list), or nothing. -#}
{% macro partition_cols(label) %}
  {%- set cols = config.get('partition_by', validator=validation.any[list, basestring]) -%}
  {%- if cols is not none %}
    {%- if cols is string -%}
      {%- set cols = [cols] -%}
    {%- endif -%}
    {{ label }} (
    {%- for item in cols -%}
      {{ item }}
      {%- if not loop.last -%},{%- endif -%}
    {%- endfor -%}
    )
  {%- endif %}
{%- endmacro -%}

{#- `<label> <primary_key>`, or nothing. -#}
{% macro primary_key_clause(label) %}
  {%- set primary_key = config.get('primary_key', validator=validation.any[basestring]) -%}

  {%- if primary_key is not none %}
    {{ label }} {{ primary_key }}
  {%- endif %}
{%- endmacro -%}

{#- `<label> (<col>, ...)` from `order_by`, `<label> (tuple())` without one, for the engines that
    take an ORDER BY (the MergeTree family and a few others); nothing for the rest. -#}
{% macro order_cols(label) %}
  {%- set cols = config.get('order_by', validator=validation.any[list, basestring]) -%}
  {%- set engine = config.get('engine', default='MergeTree()') -%}
  {%- set supported = [
    'HDFS',
    'MaterializedPostgreSQL',
    'S3',
    'EmbeddedRocksDB',
    'Hive'
  ] -%}

  {%- if 'MergeTree' in engine or engine in supported %}
    {%- if cols is not none %}
      {%- if cols is string -%}
        {%- set cols = [cols] -%}
      {%- endif -%}
      {{ label }} (
      {%- for item in cols -%}
        {{ item }}
        {%- if not loop.last -%},{%- endif -%}
      {%- endfor -%}
      )
    {%- else %}
      {{ label }} (tuple())
    {%- endif %}
  {%- endif %}
{%- endmacro -%}

{#- `<label> <ttl>` from `ttl`, or nothing. -#}
{% macro ttl_config(label) %}
  {%- if config.get("ttl")%}
    {{ label }} {{ config.get("ttl") }}
  {%- endif %}
{%- endmacro -%}

{#- ` CODEC(<codec>)` for a column's codec, or nothing. -#}
{% macro codec_clause(codec_name) %}
  {%- if codec_name %}
      CODEC({{ codec_name }})
  {%- endif %}
{% endmacro %}

{#- A view's `DEFINER = <definer> SQL SECURITY DEFINER` or `SQL SECURITY INVOKER` from `sql_security`
    (materializations/view.sql), with dbt-clickhouse's errors for a missing definer or another value. -#}
{% macro get_sql_security_clause(relation) %}
  {% set sql_security = config.get('sql_security') %}
  {% if sql_security -%}
    {% if sql_security == 'definer' -%}
    {%- set definer = config.require('definer') -%}
      {% if not definer -%}
        {{ exceptions.raise_compiler_error("Invalid config parameter `definer`. No value was provided.") }}
      {%- endif %}
      DEFINER = {{ definer }} SQL SECURITY DEFINER
    {%- elif sql_security == 'invoker' %}
    SQL SECURITY INVOKER
    {%- else %}
      {{ exceptions.raise_compiler_error("Invalid config parameter `sql_security`. Got: `" + sql_security + "`, but only definer | invoker allowed.") }}
    {%- endif %}
  {%- endif %}
{%- endmacro -%}

{#- A comment as a heredoc literal (`$dbt_comment_literal_block$...$dbt_comment_literal_block$`),
    which needs no escaping (adapters.sql); refused where the text holds the delimiter. -#}
{% macro clickhouse_escape_comment(comment) -%}
  {% if adapter.is_before_version('21.9.2.17') %}
    {% do exceptions.raise_compiler_error('Unsupported ClickHouse version for using heredoc syntax') %}
  {% endif %}
  {% if comment is not string %}
    {% do exceptions.raise_compiler_error('cannot escape a non-string: ' ~ comment) %}
  {% endif %}
  {%- set magic = '$dbt_comment_literal_block$' -%}
  {%- if magic in comment -%}
    {%- do exceptions.raise_compiler_error('The string ' ~ magic ~ ' is not allowed in comments.') -%}
  {%- endif -%}
  {{ magic }}{{ comment }}{{ magic }}
{%- endmacro %}
