-- Session metrics: one row per session.
with sessions as (

    select * from {{ ref('int_sessions') }}

)

select
    session_id,
    user_id,
    session_start,
    session_end,
    {{ seconds_between('session_start', 'session_end') }} as duration_seconds,
    page_views,
    events,
    purchased,
    landing_page,
    exit_page
from sessions
