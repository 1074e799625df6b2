{#-
  dbt's SQL-generating utilities: row and date generators (generate_series, date_spine), array
  helpers, cast and date literals. Each dispatches through adapter.dispatch(name, 'dbt'), so a
  project or package can override it per adapter; signatures follow dbt's documentation.
-#}

{#- The smallest n with 2^n >= upper_bound (at least 1): how many bits generate_series needs. -#}
{% macro get_powers_of_two(upper_bound) %}
    {{ return(adapter.dispatch('get_powers_of_two', 'dbt')(upper_bound)) }}
{% endmacro %}
{% macro default__get_powers_of_two(upper_bound) %}
    {%- set ns = namespace(bits=1) -%}
    {%- for _ in range(64) -%}
        {%- if 2 ** ns.bits < (upper_bound | int) -%}{%- set ns.bits = ns.bits + 1 -%}{%- endif -%}
    {%- endfor -%}
    {{ return(ns.bits) }}
{% endmacro %}

{#- Rows numbered 1..upper_bound in a column `generated_number`, built by cross-joining n bits. -#}
{% macro generate_series(upper_bound) %}
    {{ return(adapter.dispatch('generate_series', 'dbt')(upper_bound)) }}
{% endmacro %}
{% macro default__generate_series(upper_bound) %}
    {%- set bits = dbt.get_powers_of_two(upper_bound) -%}
    with bit_values as (
        select 0 as generated_number union all select 1
    ),
    numbered as (
        select
            {% for i in range(bits) -%}
            b{{ i }}.generated_number * {{ 2 ** i }}{{ ' +' if not loop.last }}
            {% endfor -%}
            + 1 as generated_number
        from {% for i in range(bits) -%}
            bit_values as b{{ i }}{{ ' cross join' if not loop.last }}
        {% endfor %}
    )
    select generated_number
    from numbered
    where generated_number <= {{ upper_bound | int }}
    order by generated_number
{% endmacro %}

{#- How many `datepart` intervals lie between two dates, asked of the warehouse (1 at parse time). -#}
{% macro get_intervals_between(start_date, end_date, datepart) -%}
    {{ return(adapter.dispatch('get_intervals_between', 'dbt')(start_date, end_date, datepart)) }}
{%- endmacro %}
{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
    {%- if execute -%}
        {%- call statement('get_intervals_between', fetch_result=True) -%}
            select {{ dbt.datediff(start_date, end_date, datepart) }} as intervals
        {%- endcall -%}
        {%- set result = load_result('get_intervals_between') -%}
        {%- if result and result['data'] -%}
            {{ return(result['data'][0][0] | int) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(1) }}
{%- endmacro %}

{#- One row per `datepart` from start_date (included) up to end_date (excluded), in `date_<datepart>`. -#}
{% macro date_spine(datepart, start_date, end_date) %}
    {{ return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) }}
{% endmacro %}
{% macro default__date_spine(datepart, start_date, end_date) %}
    with series as (
        {{ dbt.generate_series(dbt.get_intervals_between(start_date, end_date, datepart)) }}
    ),
    all_periods as (
        select {{ dbt.dateadd(datepart, 'generated_number - 1', start_date) }} as date_{{ datepart }}
        from series
    )
    select *
    from all_periods
    where date_{{ datepart }} < {{ end_date }}
{% endmacro %}

{#- An array with one more element at its end. -#}
{% macro array_append(array, new_element) -%}
    {{ return(adapter.dispatch('array_append', 'dbt')(array, new_element)) }}
{%- endmacro %}
{% macro default__array_append(array, new_element) -%}
    array_append({{ array }}, {{ new_element }})
{%- endmacro %}

{#- Two arrays joined end to end. -#}
{% macro array_concat(array_1, array_2) -%}
    {{ return(adapter.dispatch('array_concat', 'dbt')(array_1, array_2)) }}
{%- endmacro %}
{% macro default__array_concat(array_1, array_2) -%}
    array_cat({{ array_1 }}, {{ array_2 }})
{%- endmacro %}

{#- A plain (failing) cast of an expression to a type. -#}
{% macro cast(field, type) -%}
    {{ return(adapter.dispatch('cast', 'dbt')(field, type)) }}
{%- endmacro %}
{% macro default__cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro %}

{#- A date literal from its year, month and day numbers. -#}
{% macro date(year, month, day) -%}
    {{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}
{%- endmacro %}
{% macro default__date(year, month, day) -%}
    cast('{{ "%04d-%02d-%02d" | format(year | int, month | int, day | int) }}' as date)
{%- endmacro %}
