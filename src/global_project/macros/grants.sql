{#-
  dbt's grants (dbt-adapters' apply_grants.sql), which materializations written in Jinja call:
  `apply_grants(relation, config.get('grants'), should_revoke=should_revoke(existing, full_refresh_mode=True))`
  shows the grants the relation has, revokes what the config no longer lists and grants the rest.
  PostgreSQL reads them from information_schema (a replaced table does not keep its grants, so
  copy_grants is false, as in dbt-postgres); ClickHouse from system.grants, one statement at a time.
-#}

{% macro copy_grants() -%}
    {{ return(adapter.dispatch('copy_grants', 'dbt')()) }}
{%- endmacro %}
{% macro default__copy_grants() -%}
    {{ return(True) }}
{%- endmacro %}

{% macro support_multiple_grantees_per_dcl_statement() -%}
    {{ return(adapter.dispatch('support_multiple_grantees_per_dcl_statement', 'dbt')()) }}
{%- endmacro %}
{% macro default__support_multiple_grantees_per_dcl_statement() -%}
    {{ return(True) }}
{%- endmacro %}

{#- Whether grants may have carried over to the relation (so they are read and diffed first). -#}
{% macro should_revoke(existing_relation, full_refresh_mode=True) -%}
    {%- if not existing_relation -%}
        {{ return(False) }}
    {%- elif full_refresh_mode -%}
        {{ return(copy_grants()) }}
    {%- else -%}
        {{ return(True) }}
    {%- endif -%}
{%- endmacro %}

{% macro get_show_grant_sql(relation) -%}
    {{ return(adapter.dispatch('get_show_grant_sql', 'dbt')(relation)) }}
{%- endmacro %}
{% macro default__get_show_grant_sql(relation) -%}
    show grants on {{ relation.render() }}
{%- endmacro %}

{% macro get_grant_sql(relation, privilege, grantees) -%}
    {{ return(adapter.dispatch('get_grant_sql', 'dbt')(relation, privilege, grantees)) }}
{%- endmacro %}
{% macro default__get_grant_sql(relation, privilege, grantees) -%}
    grant {{ privilege }} on {{ relation.render() }} to {{ grantees | join(', ') }}
{%- endmacro %}

{% macro get_revoke_sql(relation, privilege, grantees) -%}
    {{ return(adapter.dispatch('get_revoke_sql', 'dbt')(relation, privilege, grantees)) }}
{%- endmacro %}
{% macro default__get_revoke_sql(relation, privilege, grantees) -%}
    {%- set quoted_grantees = [] -%}
    {%- for grantee in grantees -%}
        {%- do quoted_grantees.append(adapter.quote(grantee)) -%}
    {%- endfor -%}
    revoke {{ privilege }} on {{ relation.render() }} from {{ quoted_grantees | join(', ') }}
{%- endmacro %}

{#- One DCL statement per privilege (or per privilege and grantee where the warehouse needs it). -#}
{% macro get_dcl_statement_list(relation, grant_config, get_dcl_macro) -%}
    {{ return(adapter.dispatch('get_dcl_statement_list', 'dbt')(relation, grant_config, get_dcl_macro)) }}
{%- endmacro %}
{% macro default__get_dcl_statement_list(relation, grant_config, get_dcl_macro) -%}
    {%- set dcl_statements = [] -%}
    {%- for privilege, grantees in grant_config.items() -%}
        {%- if support_multiple_grantees_per_dcl_statement() and grantees -%}
            {%- do dcl_statements.append(get_dcl_macro(relation, privilege, grantees)) -%}
        {%- else -%}
            {%- for grantee in grantees -%}
                {%- do dcl_statements.append(get_dcl_macro(relation, privilege, [grantee])) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(dcl_statements) }}
{%- endmacro %}

{% macro call_dcl_statements(dcl_statement_list) -%}
    {{ return(adapter.dispatch('call_dcl_statements', 'dbt')(dcl_statement_list)) }}
{%- endmacro %}
{% macro default__call_dcl_statements(dcl_statement_list) -%}
    {% call statement('grants') %}
        {% for dcl_statement in dcl_statement_list %}
            {{ dcl_statement }};
        {% endfor %}
    {% endcall %}
{%- endmacro %}

{% macro apply_grants(relation, grant_config, should_revoke=True) -%}
    {{ return(adapter.dispatch('apply_grants', 'dbt')(relation, grant_config, should_revoke)) }}
{%- endmacro %}
{% macro default__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- if grant_config -%}
        {%- if should_revoke -%}
            {%- set current_grants_table = run_query(get_show_grant_sql(relation)) -%}
            {%- set current_grants_dict = adapter.standardize_grants_dict(current_grants_table) -%}
            {%- set needs_granting = diff_of_two_dicts(grant_config, current_grants_dict) -%}
            {%- set needs_revoking = diff_of_two_dicts(current_grants_dict, grant_config) -%}
            {%- if not (needs_granting or needs_revoking) -%}
                {{ log('On ' ~ relation.render() ~ ': All grants are in place, no revocation or granting needed.') }}
            {%- endif -%}
        {%- else -%}
            {%- set needs_revoking = {} -%}
            {%- set needs_granting = grant_config -%}
        {%- endif -%}
        {%- if needs_granting or needs_revoking -%}
            {%- set dcl_statement_list = get_dcl_statement_list(relation, needs_revoking, get_revoke_sql) + get_dcl_statement_list(relation, needs_granting, get_grant_sql) -%}
            {%- if dcl_statement_list -%}
                {{ call_dcl_statements(dcl_statement_list) }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
