{#- ClickHouse's user-defined functions (dbt 1.11 `functions/`): a SQL function is a lambda,
    `CREATE OR REPLACE FUNCTION name AS (a, b) -> (SELECT ...)`, global to the server (no database,
    so the relation renders the name alone), its arguments untyped and without defaults, no volatility.
    Each step overrides dbt's default through dispatch, so a project's `clickhouse__` macro replaces it. -#}

{% macro clickhouse__scalar_function_sql(target_relation) %}
    {{ scalar_function_create_replace_signature_sql(target_relation) }} ({{ scalar_function_body_sql() }})
{% endmacro %}

{% macro clickhouse__scalar_function_create_replace_signature_sql(target_relation) %}
    {{ scalar_function_volatility_sql() }}
    CREATE OR REPLACE FUNCTION {{ target_relation.render() }} AS ({{ formatted_scalar_function_args_sql() }}) ->
{% endmacro %}

{% macro clickhouse__formatted_scalar_function_args_sql() %}
    {% set names = [] %}
    {% for arg in model.arguments -%}
        {% if arg.get('default_value', none) is not none %}
            {% do exceptions.raise_compiler_error("Argument '" ~ arg.name ~ "' of function '" ~ model.name ~ "' has a default_value: ClickHouse SQL functions take no defaults (remove it, or pass the value at each call)") %}
        {% endif %}
        {%- do names.append(arg.name) -%}
    {%- endfor %}
    {{ names | join(', ') }}
{% endmacro %}

{% macro clickhouse__scalar_function_body_sql() %}
    {{ model.compiled_code }}
{% endmacro %}

{% macro clickhouse__scalar_function_volatility_sql() %}
    {% set volatility = model.config.get('volatility') %}
    {% if volatility is not none %}
        {% do unsupported_volatility_warning(volatility) %}
    {% endif %}
{% endmacro %}
