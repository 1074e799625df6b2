-- One row per session, aggregated from the sessionized events.
with events as (

    select * from {{ ref('int_events_sessionized') }}

)

select
    session_id,
    user_id,
    session_number,
    min(event_ts) as session_start,
    max(event_ts) as session_end,
    count(*) as events,
    count(case when event_type = 'page_view' then 1 end) as page_views,
    bool_or(event_type = 'purchase') as purchased,
    max(case when event_number_in_session = 1 then page_url end) as landing_page,
    max(case when event_number_from_end = 1 then page_url end) as exit_page,
    max(case when event_number_in_session = 1 then referrer_url end) as entry_referrer
from events
group by session_id, user_id, session_number
