{{ config(materialized='ephemeral') }}

-- Every event with the session it belongs to. A user's next event starts a new session when it comes
-- strictly more than `session_timeout_minutes` after their previous event (a gap of exactly 30:00
-- stays in the session). Events in the same second are ordered by event_id.
with events as (

    select * from {{ ref('stg_events') }}

),

with_previous as (

    select
        *,
        {{ previous_value('event_ts', 'user_id', 'event_ts, event_id') }} as previous_event_ts
    from events

),

flagged as (

    select
        *,
        case
            when previous_event_ts is null then 1
            when {{ seconds_between('previous_event_ts', 'event_ts') }} > {{ var("session_timeout_minutes") * 60 }} then 1
            else 0
        end as is_new_session
    from with_previous

),

numbered as (

    select
        *,
        sum(is_new_session) over (
            partition by user_id
            order by event_ts, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from flagged

)

select
    {{ session_key('user_id', 'session_number') }} as session_id,
    user_id,
    session_number,
    event_id,
    event_type,
    page_url,
    referrer_url,
    event_ts,
    received_at,
    row_number() over (
        partition by user_id, session_number
        order by event_ts, event_id
    ) as event_number_in_session,
    row_number() over (
        partition by user_id, session_number
        order by event_ts desc, event_id desc
    ) as event_number_from_end
from numbered
