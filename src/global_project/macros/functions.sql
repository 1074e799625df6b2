{#- dbt 1.11's user-defined functions, as dbt-adapters' global project has them
    (macros/materializations/functions/: function.sql, helpers.sql, scalar.sql, aggregate.sql).
    The `function` materialization dispatches to `<type>_function_<language>` (scalar_function_sql,
    aggregate_function_sql, scalar_function_python ...): an adapter without that macro fails the node
    with dbt's "No macro named ... found within namespace". Each step is an overridable macro
    (a project's `<adapter>__scalar_function_body_sql` ... replaces it through dispatch). -#}


{# ---- function.sql #}

{% materialization function, default, supported_languages=['sql', 'python', 'javascript'] %}
    {% set existing_relation = load_cached_relation(this) %}
    {% set target_relation = this.incorporate(type=this.Function) %}

    {{ run_hooks(pre_hooks) }}

    {% set function_config = this.get_function_config(model) %}
    {% set macro_name = this.get_function_macro_name(function_config) %}

    {# Doing this aliasing of adapter.dispatch is a hacky way to disable the static analysis of actually calling adapter.dispatch #}
    {# This is necessary because the static analysis breaks being able to dynamically pass a macro_name #}
    {% set _dispatch = adapter.dispatch %}

    {% set build_sql = _dispatch(macro_name, 'dbt')(target_relation) %}
    {{ function_execute_build_sql(build_sql, existing_relation, target_relation) }}
    {{ run_hooks(post_hooks) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}

{# ---- helpers.sql #}

{% macro function_execute_build_sql(build_sql, existing_relation, target_relation) %}
    {{ return(adapter.dispatch('function_execute_build_sql', 'dbt')(build_sql, existing_relation, target_relation)) }}
{% endmacro %}

{% macro default__function_execute_build_sql(build_sql, existing_relation, target_relation) %}

    {% set grant_config = config.get('grants') %}

    {% call statement(name="main") %}
        {{ build_sql }}
    {% endcall %}

    {% set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
    {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}

    {% do persist_docs(target_relation, model) %}

    {{ adapter.commit() }}

{% endmacro %}

{# ---- scalar.sql #}

{% macro scalar_function_sql(target_relation) %}
    {{ return(adapter.dispatch('scalar_function_sql', 'dbt')(target_relation)) }}
{% endmacro %}

{% macro default__scalar_function_sql(target_relation) %}
    {{ scalar_function_create_replace_signature_sql(target_relation) }}
    {{ scalar_function_body_sql() }};
{% endmacro %}

{% macro scalar_function_create_replace_signature_sql(target_relation) %}
    {{ return(adapter.dispatch('scalar_function_create_replace_signature_sql', 'dbt')(target_relation)) }}
{% endmacro %}

{% macro default__scalar_function_create_replace_signature_sql(target_relation) %}
    CREATE OR REPLACE FUNCTION {{ target_relation.render() }} ({{ formatted_scalar_function_args_sql()}})
    RETURNS {{ model.returns.data_type }}
    {{ scalar_function_volatility_sql() }}
    AS
{% endmacro %}

{% macro formatted_scalar_function_args_sql() %}
    {{ return(adapter.dispatch('formatted_scalar_function_args_sql', 'dbt')()) }}
{% endmacro %}

{% macro formatted_scalar_function_args_javascript() %}
    {{ return(adapter.dispatch('formatted_scalar_function_args_javascript', 'dbt')()) }}
{% endmacro %}

{% macro default__formatted_scalar_function_args_sql() %}
    {% set args = [] %}
    {% for arg in model.arguments -%}
        {%- do args.append(arg.name ~ ' ' ~ arg.data_type) -%}
    {%- endfor %}
    {{ args | join(', ') }}
{% endmacro %}

{% macro default__formatted_scalar_function_args_javascript() %}
    {% set msg = "formatted_scalar_function_args_javascript not implemented for adapter " ~ adapter.type() %}
    {% do exceptions.raise_compiler_error(msg) %}
{% endmacro %}

{% macro scalar_function_body_sql() %}
    {{ return(adapter.dispatch('scalar_function_body_sql', 'dbt')()) }}
{% endmacro %}

{% macro default__scalar_function_body_sql() %}
    $$
       {{ model.compiled_code }}
    $$ LANGUAGE SQL
{% endmacro %}

{% macro scalar_function_volatility_sql() %}
    {{ return(adapter.dispatch('scalar_function_volatility_sql', 'dbt')()) }}
{% endmacro %}

{% macro scalar_function_volatility_javascript() %}
    {{ return(adapter.dispatch('scalar_function_volatility_javascript', 'dbt')()) }}
{% endmacro %}

{% macro default__scalar_function_volatility_javascript() %}
    {% set volatility = model.config.get('volatility') %}
    {% if volatility != none %}
        {% set msg = "Volatility is not supported by " ~ adapter.type() ~ " in javascript UDF and will be ignored" %}
        {% do exceptions.warn(msg) %}
    {% endif %}
{% endmacro %}

{% macro default__scalar_function_volatility_sql() %}
    {% set volatility = model.config.get('volatility') %}
    {% if volatility == 'deterministic' %}
        IMMUTABLE
    {% elif volatility == 'stable' %}
        STABLE
    {% elif volatility == 'non-deterministic' %}
        VOLATILE
    {% elif volatility != none %}
        {# This shouldn't happen unless a new volatility is invented #}
        {% do unsupported_volatility_warning(volatility) %}
    {% endif %}
    {# If no volatility is set, don't add anything and let the data warehouse default it #}
{% endmacro %}

{% macro unsupported_volatility_warning(volatility) %}
    {{ return(adapter.dispatch('unsupported_volatility_warning', 'dbt')(volatility)) }}
{% endmacro %}

{% macro default__unsupported_volatility_warning(volatility) %}
    {% set msg = "Found `" ~ volatility ~ "` volatility specified on function `" ~ model.name ~ "`. This volatility is not supported by " ~ adapter.type() ~ ", and will be ignored" %}
    {% do exceptions.warn(msg) %}
{% endmacro %}

{# ---- aggregate.sql #}

{# get signature dispatch + default macro #}

{% macro get_aggregate_function_create_replace_signature(target_relation) %}
    {{ return(adapter.dispatch('get_aggregate_function_create_replace_signature', 'dbt')(target_relation)) }}
{% endmacro %}

{% macro default__get_aggregate_function_create_replace_signature(target_relation) %}
    CREATE OR REPLACE AGGREGATE FUNCTION {{ target_relation.render() }} ({{ get_formatted_aggregate_function_args()}})
    RETURNS {{ model.returns.data_type }}
    {{ get_function_language_specifier() }}
    {{ get_aggregate_function_volatility_specifier() }}
    {% if model.get('language') == 'python' %}
        {{ get_function_python_options() }}
    {% endif %}
    AS
{% endmacro %}

{# formatted args dispatch + default macro #}

{% macro get_formatted_aggregate_function_args() %}
    {{ return(adapter.dispatch('get_formatted_aggregate_function_args', 'dbt')()) }}
{% endmacro %}

{% macro default__get_formatted_aggregate_function_args() %}
    {# conveniently we can reuse the sql scalar function args #}
    {{ formatted_scalar_function_args_sql() }}
{% endmacro %}

{# function language specifier dispatch + default macro #}

{% macro get_function_language_specifier() %}
    {{ return(adapter.dispatch('get_function_language_specifier', 'dbt')()) }}
{% endmacro %}

{% macro default__get_function_language_specifier() %}
    {% set language = model.get('language') %}
    {% if language == 'sql' %}
        {# generally you dont need to specify the language for sql functions #}
    {% elif language == 'python' %}
        LANGUAGE PYTHON
    {% elif language == 'javascript' %}
        LANGUAGE js
    {% else %}
        {{ 'LANGUAGE ' ~ language.upper() }}
    {% endif %}
{% endmacro %}

{# function volatility specifier dispatch + default macro #}

{% macro get_aggregate_function_volatility_specifier() %}
    {{ return(adapter.dispatch('get_aggregate_function_volatility_specifier', 'dbt')()) }}
{% endmacro %}

{% macro default__get_aggregate_function_volatility_specifier() %}
    {{ scalar_function_volatility_sql() }}
{% endmacro %}

{# function python options + default macro #}

{% macro get_function_python_options() %}
    {{ return(adapter.dispatch('get_function_python_options', 'dbt')()) }}
{% endmacro %}

{% macro default__get_function_python_options() %}
    RUNTIME_VERSION = '{{ model.config.get('runtime_version') }}'
    HANDLER = '{{ model.config.get('entry_point') }}'
    {% set packages = model.config.get('packages', []) %}
    {% if packages %}
    PACKAGES = ('{{ packages | join("','") }}')
    {% endif %}
{% endmacro %}
