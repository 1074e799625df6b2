{#- dbt-adapters' newer global helpers, as it writes them (Apache-2.0): adapters/runtime.sql (is_core_v2),
    adapters/persist_docs.sql (validate_doc_columns), python_model/python.sql (resolve_model_name) and
    get_custom_name/get_latest_version_pointer_alias.sql. tsdbt's own persist_docs filters the columns
    itself; these serve projects and packages that call them. -#}

{% macro is_core_v2() -%}
  {%- set major_version = (dbt_version.split('.') | first) | int -%}
  {{ return(major_version == 2) }}
{%- endmacro %}

{#-- Validates documented columns against the actual database columns. Warns about any columns in column_dict that don't exist in existing_column_names. Returns a filtered column_dict containing only columns that exist. --#}
{% macro validate_doc_columns(relation, column_dict, existing_column_names) %}
  {% set existing_lower = existing_column_names | map("lower") | list %}
  {% set missing = [] %}
  {% set filtered = {} %}
  {% for col_name in column_dict %}
    {% set is_quoted = column_dict[col_name]['quote'] %}
    {% if is_quoted %}
      {% set present = col_name in existing_column_names %}
    {% else %}
      {% set present = col_name | lower in existing_lower %}
    {% endif %}
    {% if present %}
      {% do filtered.update({col_name: column_dict[col_name]}) %}
    {% else %}
      {% do missing.append(col_name) %}
    {% endif %}
  {% endfor %}
  {% if missing | length > 0 %}
    {{ exceptions.warn("In relation " ~ relation.render() ~ ": The following columns are specified in the schema but are not present in the database: " ~ missing | join(", ")) }}
  {% endif %}
  {{ return(filtered) }}
{% endmacro %}

{% macro resolve_model_name(input_model_name) %}
    {{ return(adapter.dispatch('resolve_model_name', 'dbt')(input_model_name)) }}
{% endmacro %}

{%- macro default__resolve_model_name(input_model_name) -%}
    {{  input_model_name | string | replace('"', '\"') }}
{%- endmacro -%}

{% macro generate_latest_version_pointer_alias(custom_alias_name=none, node=none) -%}
    {% do return(adapter.dispatch('generate_latest_version_pointer_alias', 'dbt')(custom_alias_name, node)) %}
{%- endmacro %}

{% macro default__generate_latest_version_pointer_alias(custom_alias_name=none, node=none) -%}
    {%- if custom_alias_name -%}
        {{ custom_alias_name | trim }}
    {%- else -%}
        {{ node.name }}
    {%- endif -%}
{%- endmacro %}
