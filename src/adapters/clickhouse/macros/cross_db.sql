{#- ClickHouse's implementations of dbt's dispatched macros (cross_db); loaded on ClickHouse targets only, as dbt loads dbt-clickhouse's. -#}

{% macro clickhouse__dateadd(datepart, interval, from_date_or_timestamp) -%}
    date_add({{ datepart | trim("'") }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{% macro clickhouse__datediff(first_date, second_date, datepart) -%}
    dateDiff('{{ datepart | trim("'") }}', {{ first_date }}, {{ second_date }})
{%- endmacro %}

{% macro clickhouse__date_trunc(datepart, date) -%}
    toDateTime(date_trunc('{{ datepart | trim("'") }}', {{ date }}))
{%- endmacro %}

{% macro clickhouse__last_day(date, datepart) -%}
    toDate({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }})
{%- endmacro %}

{% macro clickhouse__current_timestamp() -%}
    now()
{%- endmacro %}

{%- macro clickhouse__type_string() %}{{ return('String') }}{% endmacro %}

{%- macro clickhouse__type_int() %}{{ return('Int32') }}{% endmacro %}

{%- macro clickhouse__type_bigint() %}{{ return('Int64') }}{% endmacro %}

{%- macro clickhouse__type_float() %}{{ return('Float64') }}{% endmacro %}

{%- macro clickhouse__type_numeric() %}{{ return('Decimal(28, 6)') }}{% endmacro %}

{%- macro clickhouse__type_timestamp() %}{{ return('DateTime') }}{% endmacro %}

{%- macro clickhouse__type_boolean() %}{{ return('Bool') }}{% endmacro %}

{#- dbt-clickhouse's: a plain CAST (the column keeps the type, never Nullable), and 'null' the type's
    default value, which a unit test's fixture rows get for the columns they leave out. -#}
{% macro clickhouse__safe_cast(field, type) -%}
  {%- if field == 'null' -%}
    CAST(defaultValueOfTypeName('{{ type | replace("'", "\\'") }}') AS {{ type }})
  {%- else -%}
    CAST({{ field }} AS {{ type }})
  {%- endif -%}
{%- endmacro %}

{% macro clickhouse__split_part(string_text, delimiter_text, part_number) -%}
    splitByString({{ delimiter_text }}, {{ string_text }})[{{ part_number }}]
{%- endmacro %}

{% macro clickhouse__concat(fields) -%}
    concat({{ fields | join(', ') }})
{%- endmacro %}

{% macro clickhouse__hash(field) -%}
    lower(hex(MD5(toString({{ field }}))))
{%- endmacro %}

{#- dbt-clickhouse's reading of the order: `order by <field> [desc]`, one field (a second is its
    compiler error); anything else is no order. Sorted pairs of groupArray, as older servers lack
    arrayZip and array_agg. -#}
{% macro clickhouse__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set values = 'groupArray(' ~ measure ~ ')' -%}
    {%- if order_by_clause and 'order by' == ' '.join(order_by_clause.split()[:2]).lower() -%}
      {%- if ',' in order_by_clause -%}
        {{ exceptions.raise_compiler_error('ClickHouse does not support multiple order by fields.') }}
      {%- endif -%}
      {%- set tokens = order_by_clause.split()[2:] -%}
      {%- set direction = 'Reverse' if 'desc' in ''.join(tokens[1:]).lower() else '' -%}
      {%- set values = 'arrayMap(x -> x.2, array' ~ direction ~ 'Sort(x -> x.1, groupArray((' ~ tokens[0] ~ ', ' ~ measure ~ '))))' -%}
    {%- endif -%}
    arrayStringConcat({% if limit_num %}arraySlice({{ values }}, 1, {{ limit_num }}){% else %}{{ values }}{% endif %}, {{ delimiter_text }})
{%- endmacro %}

{% macro clickhouse__escape_single_quotes(expression) -%}
{{ expression | replace('\\', '\\\\') | replace("'", "\\'") }}
{%- endmacro %}

{% macro clickhouse__bool_or(expression) -%}
    cast(max({{ expression }}) as Bool)
{%- endmacro %}

{% macro clickhouse__any_value(expression) -%}
    any({{ expression }})
{%- endmacro %}

{% macro clickhouse__cast_bool_to_text(field) -%}
    toString(cast({{ field }} as Bool))
{%- endmacro %}

{% macro clickhouse__except() %}except distinct{% endmacro %}

{% macro clickhouse__intersect() %}intersect distinct{% endmacro %}

{% macro clickhouse__length(expression) -%}
    lengthUTF8({{ expression }})
{%- endmacro %}

{% macro clickhouse__position(substring_text, string_text) -%}
    positionUTF8({{ string_text }}, {{ substring_text }})
{%- endmacro %}

{#- dbt-clickhouse quotes the characters itself (`replace('col', 'a', 'b')`), where dbt's other
    adapters take SQL expressions (`replace('col', "'a'", "'b'")`, as dbt_utils writes it, which
    dbt-clickhouse quotes twice into broken SQL): an argument already a quoted literal is taken as
    written, any other is quoted here, its quotes and backslashes escaped. -#}
{% macro clickhouse__replace(field, old_chars, new_chars) -%}
    {%- set literals = [] -%}
    {%- for chars in [old_chars | string, new_chars | string] -%}
      {%- if chars | length >= 2 and chars[0] == "'" and chars[-1] == "'" -%}
        {%- do literals.append(chars) -%}
      {%- else -%}
        {%- do literals.append("'" ~ (chars | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") -%}
      {%- endif -%}
    {%- endfor -%}
    replaceAll({{ field }}, {{ literals[0] }}, {{ literals[1] }})
{%- endmacro %}

{% macro clickhouse__right(string_text, length_expression) -%}
    rightUTF8({{ string_text }}, {{ length_expression }})
{%- endmacro %}

{% macro clickhouse__array_construct(inputs, data_type) -%}
    {%- if inputs | length > 0 -%}
    [ {{ inputs | join(' , ') }} ]
    {%- else -%}
    emptyArrayInt32()
    {%- endif -%}
{%- endmacro %}
