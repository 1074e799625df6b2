{#-
  Generic tests behind the example's real-time quality checks (../docs: "Quality checks").
  Each returns the failing rows; severity and thresholds come from the test's config.
-#}

{#- Rows whose column exceeds a maximum (e.g. page views > 10,000: bot traffic). -#}
{% test at_most(model, column_name, max_value) %}
select {{ column_name }} as value_field, *
from {{ model }}
where {{ column_name }} > {{ max_value }}
{% endtest %}

{#-
  One row when the newest value of the column is older than `max_age_minutes` before the run
  started (or when the model is empty). "Now" is run_started_at, the invocation's clock.
-#}
{% test fresher_than(model, column_name, max_age_minutes) %}
{%- set now = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)" -%}
select latest, {{ now }} as checked_at
from (select max({{ column_name }}) as latest from {{ model }}) as newest
where latest is null
   or latest < {{ now }} - interval '{{ max_age_minutes }} minutes'
{% endtest %}

{#-
  One row when, during business hours (from_hour to to_hour, inclusive, in the run's clock), fewer
  than `min_rows` rows have the column on the run's day: an unusually quiet day.
-#}
{% test min_rows_today_during_hours(model, column_name, min_rows, from_hour=8, to_hour=22) %}
{%- set hour = run_started_at.hour -%}
{%- set today = "cast('" ~ run_started_at.strftime('%Y-%m-%d') ~ "' as timestamp)" -%}
select count(*) as rows_today
from {{ model }}
where {{ column_name }} >= {{ today }}
  and {{ column_name }} < {{ today }} + interval '1 day'
having {{ 'true' if from_hour <= hour <= to_hour else 'false' }} and count(*) < {{ min_rows }}
{% endtest %}
