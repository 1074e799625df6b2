{#- PostgreSQL's implementations of dbt's dispatched macros (cross_db); loaded on PostgreSQL and PGlite targets only, as dbt loads dbt-postgres's. -#}

{% macro postgres__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {{ from_date_or_timestamp }} + ((interval '1 {{ datepart }}') * ({{ interval }}))
{%- endmacro %}

{% macro postgres__datediff(first_date, second_date, datepart) -%}
    {%- set part = datepart | trim("'") | lower -%}
    {%- if part == 'year' -%}
        (date_part('year', ({{ second_date }})::date) - date_part('year', ({{ first_date }})::date))
    {%- elif part == 'quarter' -%}
        ({{ datediff(first_date, second_date, 'year') }} * 4 + date_part('quarter', ({{ second_date }})::date) - date_part('quarter', ({{ first_date }})::date))
    {%- elif part == 'month' -%}
        ({{ datediff(first_date, second_date, 'year') }} * 12 + date_part('month', ({{ second_date }})::date) - date_part('month', ({{ first_date }})::date))
    {%- elif part == 'day' -%}
        (({{ second_date }})::date - ({{ first_date }})::date)
    {%- elif part == 'week' -%}
        ({{ datediff(first_date, second_date, 'day') }} / 7 + case
            when date_part('dow', ({{ first_date }})::timestamp) <= date_part('dow', ({{ second_date }})::timestamp) then
                case when {{ first_date }} <= {{ second_date }} then 0 else -1 end
            else
                case when {{ first_date }} <= {{ second_date }} then 1 else 0 end
        end)
    {%- elif part == 'hour' -%}
        ({{ datediff(first_date, second_date, 'day') }} * 24 + date_part('hour', ({{ second_date }})::timestamp) - date_part('hour', ({{ first_date }})::timestamp))
    {%- elif part == 'minute' -%}
        ({{ datediff(first_date, second_date, 'hour') }} * 60 + date_part('minute', ({{ second_date }})::timestamp) - date_part('minute', ({{ first_date }})::timestamp))
    {%- elif part == 'second' -%}
        ({{ datediff(first_date, second_date, 'minute') }} * 60 + floor(date_part('second', ({{ second_date }})::timestamp)) - floor(date_part('second', ({{ first_date }})::timestamp)))
    {%- elif part == 'millisecond' -%}
        ({{ datediff(first_date, second_date, 'minute') }} * 60000 + floor(date_part('millisecond', ({{ second_date }})::timestamp)) - floor(date_part('millisecond', ({{ first_date }})::timestamp)))
    {%- elif part == 'microsecond' -%}
        ({{ datediff(first_date, second_date, 'minute') }} * 60000000 + floor(date_part('microsecond', ({{ second_date }})::timestamp)) - floor(date_part('microsecond', ({{ first_date }})::timestamp)))
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff: unsupported datepart '" ~ part ~ "' (use year, quarter, month, week, day, hour, minute, second, millisecond or microsecond)") }}
    {%- endif -%}
{%- endmacro %}

{#- PostgreSQL has no 'quarter' interval, so a quarter's last day is three months on from its start, less a day. -#}
{% macro postgres__last_day(date, datepart) -%}
    {%- if datepart | trim("'") | lower == 'quarter' -%}
    cast({{ dbt.dateadd('day', '-1', dbt.dateadd('month', '3', dbt.date_trunc(datepart, date))) }} as date)
    {%- else -%}
    {{ dbt.default_last_day(date, datepart) }}
    {%- endif -%}
{%- endmacro %}

{% macro postgres__current_timestamp() -%}
    now()
{%- endmacro %}

{% macro postgres__any_value(expression) -%}
    min({{ expression }})
{%- endmacro %}

{#- dbt-postgres's utils/split_part.sql, verbatim. -#}
{% macro postgres__split_part(string_text, delimiter_text, part_number) %}

  {% if part_number >= 0 %}
    {{ dbt.default__split_part(string_text, delimiter_text, part_number) }}
  {% else %}
    {{ dbt._split_part_negative(string_text, delimiter_text, part_number) }}
  {% endif %}

{% endmacro %}
