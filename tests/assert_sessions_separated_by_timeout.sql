-- A user's consecutive sessions never overlap and are separated by strictly more than the
-- inactivity timeout (otherwise they would be one session). Rows returned are failures.
with sessions as (

    select
        user_id,
        session_id,
        session_start,
        session_end,
        {{ previous_value('session_end', 'user_id', 'session_start, session_id') }} as previous_session_end
    from {{ ref('mart_session_metrics') }}

)

select *
from sessions
where previous_session_end is not null
    and {{ seconds_between('previous_session_end', 'session_start') }} <= {{ var("session_timeout_minutes") * 60 }}
