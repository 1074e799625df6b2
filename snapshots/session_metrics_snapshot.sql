{#- History of session metrics: a session extended or merged by late events gets a new version
    (its session_end moves), as the session_metrics_snapshot of the Kafka -> Postgres -> dbt article. -#}
{% snapshot session_metrics_snapshot %}
{{ config(unique_key='session_id', strategy='timestamp', updated_at='session_end', hard_deletes='invalidate') }}
select * from {{ ref('mart_session_metrics') }}
{% endsnapshot %}
