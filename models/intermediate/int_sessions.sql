-- One row per session, aggregated from the sessionized events.
--
-- Incremental: only users with newly received events are re-sessionized, over their whole history,
-- and all their sessions are replaced (delete+insert on user_id). A late event that bridges two
-- sessions therefore merges them instead of leaving a stale one behind.
{{ config(materialized='incremental', unique_key='user_id', incremental_strategy='delete+insert') }}

with events as (

    select * from {{ ref('int_events_sessionized') }}
    {% if is_incremental() %}
    where user_id in (
        select user_id from {{ ref('stg_events') }}
        where received_at > (select max(last_received_at) from {{ this }})
    )
    {% endif %}

)

select
    session_id,
    user_id,
    session_number,
    min(event_ts) as session_start,
    max(event_ts) as session_end,
    count(*) as events,
    count(case when event_type = 'page_view' then 1 end) as page_views,
    {{ dbt.bool_or("event_type = 'purchase'") }} as purchased,
    max(case when event_number_in_session = 1 then page_url end) as landing_page,
    max(case when event_number_from_end = 1 then page_url end) as exit_page,
    max(case when event_number_in_session = 1 then referrer_url end) as entry_referrer,
    max(received_at) as last_received_at
from events
group by session_id, user_id, session_number
