{#-
  dbt's cross-database macros, dispatched per adapter (`dbt.dateadd(...)` or `dateadd(...)`):
  default__ implementations, postgres__ where PostgreSQL differs, clickhouse__ for ClickHouse.
  Signatures follow dbt-adapters, so packages written for dbt call them unchanged.
-#}

{% macro dateadd(datepart, interval, from_date_or_timestamp) %}
  {{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}
{% endmacro %}
{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
    dateadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{% macro datediff(first_date, second_date, datepart) %}
  {{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}
{% endmacro %}
{% macro default__datediff(first_date, second_date, datepart) -%}
    datediff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro %}

{% macro date_trunc(datepart, date) %}
  {{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}
{% endmacro %}
{% macro default__date_trunc(datepart, date) -%}
    date_trunc('{{ datepart | trim("'") }}', {{ date }})
{%- endmacro %}

{% macro last_day(date, datepart) %}
  {{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}
{% endmacro %}
{% macro default__last_day(date, datepart) -%}
    {{ dbt.default_last_day(date, datepart) }}
{%- endmacro %}

{% macro current_timestamp() %}
  {{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}
{% endmacro %}
{% macro default__current_timestamp() -%}
    current_timestamp
{%- endmacro %}

{%- macro type_string() %}{{ return(adapter.dispatch('type_string', 'dbt')()) }}{% endmacro %}
{#- dbt-adapters' data_types.sql: the adapter Column's label for a string (dbt-postgres: TEXT). -#}
{%- macro default__type_string() %}{{ return(api.Column.translate_type("string")) }}{% endmacro %}
{%- macro type_int() %}{{ return(adapter.dispatch('type_int', 'dbt')()) }}{% endmacro %}
{%- macro default__type_int() %}{{ return('integer') }}{% endmacro %}
{%- macro type_bigint() %}{{ return(adapter.dispatch('type_bigint', 'dbt')()) }}{% endmacro %}
{%- macro default__type_bigint() %}{{ return('bigint') }}{% endmacro %}
{%- macro type_float() %}{{ return(adapter.dispatch('type_float', 'dbt')()) }}{% endmacro %}
{%- macro default__type_float() %}{{ return('float') }}{% endmacro %}
{%- macro type_numeric() %}{{ return(adapter.dispatch('type_numeric', 'dbt')()) }}{% endmacro %}
{%- macro default__type_numeric() %}{{ return('numeric(28,6)') }}{% endmacro %}
{%- macro type_timestamp() %}{{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}{% endmacro %}
{%- macro default__type_timestamp() %}{{ return('timestamp') }}{% endmacro %}
{%- macro type_boolean() %}{{ return(adapter.dispatch('type_boolean', 'dbt')()) }}{% endmacro %}
{%- macro default__type_boolean() %}{{ return('boolean') }}{% endmacro %}

{% macro safe_cast(field, type) %}
  {{ return(adapter.dispatch('safe_cast', 'dbt')(field, type)) }}
{% endmacro %}
{% macro default__safe_cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro split_part(string_text, delimiter_text, part_number) %}
  {{ return(adapter.dispatch('split_part', 'dbt')(string_text, delimiter_text, part_number)) }}
{% endmacro %}
{% macro default__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}

{#- dbt-adapters' utils/split_part.sql: a negative part counted from the end, for adapters whose split_part has none (dbt-postgres's postgres__split_part). -#}
{% macro _split_part_negative(string_text, delimiter_text, part_number) %}

    split_part(
        {{ string_text }},
        {{ delimiter_text }},
          length({{ string_text }})
          - length(
              replace({{ string_text }},  {{ delimiter_text }}, '')
          ) + 2 + {{ part_number }}
        )

{% endmacro %}

{% macro concat(fields) %}
  {{ return(adapter.dispatch('concat', 'dbt')(fields)) }}
{% endmacro %}
{% macro default__concat(fields) -%}
    {{ fields | join(' || ') }}
{%- endmacro %}

{% macro hash(field) %}
  {{ return(adapter.dispatch('hash', 'dbt')(field)) }}
{% endmacro %}
{% macro default__hash(field) -%}
    md5(cast({{ field }} as {{ dbt.type_string() }}))
{%- endmacro %}

{% macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) %}
  {{ return(adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num)) }}
{% endmacro %}
{% macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
    array_to_string((array_agg({{ measure }} {{ order_by_clause or '' }}))[1:{{ limit_num }}], {{ delimiter_text }})
    {%- else -%}
    string_agg({{ measure }}, {{ delimiter_text }} {{ order_by_clause or '' }})
    {%- endif -%}
{%- endmacro %}

{% macro string_literal(value) %}
  {{ return(adapter.dispatch('string_literal', 'dbt')(value)) }}
{% endmacro %}
{% macro default__string_literal(value) -%}
    '{{ value }}'
{%- endmacro %}

{% macro escape_single_quotes(expression) %}
  {{ return(adapter.dispatch('escape_single_quotes', 'dbt')(expression)) }}
{% endmacro %}
{% macro default__escape_single_quotes(expression) -%}
{{ expression | replace("'", "''") }}
{%- endmacro %}

{% macro bool_or(expression) %}
  {{ return(adapter.dispatch('bool_or', 'dbt')(expression)) }}
{% endmacro %}
{% macro default__bool_or(expression) -%}
    bool_or({{ expression }})
{%- endmacro %}

{% macro any_value(expression) %}
  {{ return(adapter.dispatch('any_value', 'dbt')(expression)) }}
{% endmacro %}
{% macro default__any_value(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{% macro cast_bool_to_text(field) %}
  {{ return(adapter.dispatch('cast_bool_to_text', 'dbt')(field)) }}
{% endmacro %}
{% macro default__cast_bool_to_text(field) -%}
    cast({{ field }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro except() %}{{ return(adapter.dispatch('except', 'dbt')()) }}{% endmacro %}
{% macro default__except() %}except{% endmacro %}
{% macro intersect() %}{{ return(adapter.dispatch('intersect', 'dbt')()) }}{% endmacro %}
{% macro default__intersect() %}intersect{% endmacro %}

{% macro length(expression) %}
  {{ return(adapter.dispatch('length', 'dbt')(expression)) }}
{% endmacro %}
{% macro default__length(expression) -%}
    length({{ expression }})
{%- endmacro %}

{% macro position(substring_text, string_text) %}
  {{ return(adapter.dispatch('position', 'dbt')(substring_text, string_text)) }}
{% endmacro %}
{% macro default__position(substring_text, string_text) -%}
    position({{ substring_text }} in {{ string_text }})
{%- endmacro %}

{% macro replace(field, old_chars, new_chars) %}
  {{ return(adapter.dispatch('replace', 'dbt')(field, old_chars, new_chars)) }}
{% endmacro %}
{% macro default__replace(field, old_chars, new_chars) -%}
    replace({{ field }}, {{ old_chars }}, {{ new_chars }})
{%- endmacro %}

{% macro right(string_text, length_expression) %}
  {{ return(adapter.dispatch('right', 'dbt')(string_text, length_expression)) }}
{% endmacro %}
{% macro default__right(string_text, length_expression) -%}
    right({{ string_text }}, {{ length_expression }})
{%- endmacro %}

{% macro array_construct(inputs=[], data_type='integer') %}
  {{ return(adapter.dispatch('array_construct', 'dbt')(inputs, data_type)) }}
{% endmacro %}
{% macro default__array_construct(inputs, data_type) -%}
    {%- if inputs | length > 0 -%}
    array[ {{ inputs | join(' , ') }} ]
    {%- else -%}
    array[]::{{ data_type }}[]
    {%- endif -%}
{%- endmacro %}
