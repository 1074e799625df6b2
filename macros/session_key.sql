{#-
  A deterministic surrogate key for a session: the md5 of the user id and the user's session number.
  The same events always produce the same keys, so downstream joins and incremental merges are stable.
-#}
{% macro session_key(user_id_col, session_number_col) -%}
    {{ dbt.hash(dbt.concat([dbt.safe_cast(user_id_col, dbt.type_string()), "'-'", dbt.safe_cast(session_number_col, dbt.type_string())])) }}
{%- endmacro %}
