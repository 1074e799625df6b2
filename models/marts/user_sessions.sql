-- Sessions with who had them: the session metrics enriched with the user's profile, and the
-- session's number in the user's history (1 = their first session).
with sessions as (

    select * from {{ ref('mart_session_metrics') }}

),

profiles as (

    select * from {{ ref('stg_user_profiles') }}

)

select
    sessions.session_id,
    sessions.user_id,
    row_number() over (
        partition by sessions.user_id
        order by sessions.session_start, sessions.session_id
    ) as user_session_number,
    profiles.username,
    profiles.account_type,
    profiles.country,
    sessions.session_start,
    sessions.session_end,
    sessions.duration_seconds,
    sessions.page_views,
    sessions.events,
    sessions.purchased,
    sessions.landing_page,
    sessions.exit_page
from sessions
left join profiles
    on sessions.user_id = profiles.user_id
