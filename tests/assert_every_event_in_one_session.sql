-- Every deduplicated event belongs to exactly one session: the sessions' event counts add up to the
-- number of events, per user. Rows returned are failures.
with events_per_user as (

    select user_id, count(*) as events
    from {{ ref('stg_events') }}
    group by user_id

),

sessionized_per_user as (

    select user_id, sum(events) as events
    from {{ ref('mart_session_metrics') }}
    group by user_id

)

select
    coalesce(e.user_id, s.user_id) as user_id,
    e.events as staged_events,
    s.events as sessionized_events
from events_per_user as e
full outer join sessionized_per_user as s
    on e.user_id = s.user_id
where e.events is null
    or s.events is null
    or e.events <> s.events
