{#- History of user profiles (SCD type 2): a new version whenever a profile's updated_at moves. -#}
{% snapshot user_profiles_snapshot %}
{{ config(unique_key='user_id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate') }}
select * from {{ ref('stg_user_profiles') }}
{% endsnapshot %}
