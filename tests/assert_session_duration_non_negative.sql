-- A session cannot end before it starts, and its duration is exactly end - start.
-- Rows returned are failures.
select
    session_id,
    session_start,
    session_end,
    duration_seconds
from {{ ref('mart_session_metrics') }}
where duration_seconds < 0
    or session_end < session_start
    or duration_seconds <> {{ seconds_between('session_start', 'session_end') }}
