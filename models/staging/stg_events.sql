-- One row per click event: typed, and deduplicated on event_id (the producer retries, so some events
-- were delivered twice; the earliest delivery wins).
--
-- Incremental: each run reads only deliveries received since the last one (minus a lookback for
-- late loads) and adds the events not seen before, so an event keeps its first delivery.
--
-- The events come from the bundled seed by default, or from the Kafka-fed source `raw.click_events`
-- with `--vars '{events_from: kafka}'` (see README, "Streaming demo").
{{ config(materialized='incremental', unique_key='event_id', incremental_strategy='merge') }}

with source as (

    {% if var('events_from', 'seed') == 'kafka' %}
    -- Streamed: the Kafka-fed source `tsdbt load` fills; received_at is when the loader wrote it.
    select
        session_id, user_id, event_id, event_type, page_url, referrer_url, event_ts,
        cast(_tsdbt_loaded_at as {{ dbt.type_string() }}) as received_at
    from {{ source('raw', 'click_events') }}
    {% else %}
    select * from {{ ref('raw_click_events') }}
    {% endif %}

),

recent as (

    select * from source
    {% if is_incremental() %}
    where cast(received_at as {{ dbt.type_timestamp() }}) > (
        select {{ dbt.dateadd('hour', -var("late_arrival_lookback_hours", 6), 'max(received_at)') }} from {{ this }}
    )
    {% endif %}

),

typed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        -- The client's own session id: not reliable (reused across visits, reset mid-visit), kept for
        -- debugging only. Sessions are derived from inactivity in int_events_sessionized.
        cast(session_id as {{ dbt.type_string() }}) as client_session_id,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(page_url as {{ dbt.type_string() }}) as page_url,
        cast(referrer_url as {{ dbt.type_string() }}) as referrer_url,
        cast(event_ts as {{ dbt.type_timestamp() }}) as event_ts,
        cast(received_at as {{ dbt.type_timestamp() }}) as received_at
    from recent

),

deduplicated as (

    select
        *,
        row_number() over (
            partition by event_id
            order by received_at, client_session_id
        ) as delivery_number
    from typed

)

select
    event_id,
    user_id,
    client_session_id,
    event_type,
    page_url,
    referrer_url,
    event_ts,
    received_at,
    {{ seconds_between('event_ts', 'received_at') }} as ingestion_delay_seconds
from deduplicated
where delivery_number = 1
{% if is_incremental() %}
    and event_id not in (select event_id from {{ this }})
{% endif %}
