{#- Whole seconds from one timestamp to another (negative when end_ts is before start_ts). -#}
{% macro seconds_between(start_ts, end_ts) -%}
    cast(extract(epoch from ({{ end_ts }} - {{ start_ts }})) as integer)
{%- endmacro %}
