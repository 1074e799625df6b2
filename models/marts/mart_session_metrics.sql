-- Session metrics: one row per session.
--
-- Incremental: the sessions of users whose events arrived since the last run are replaced
-- (delete+insert on user_id), so sessions merged or extended by late events are corrected.
{{ config(materialized='incremental', unique_key='user_id', incremental_strategy='delete+insert') }}

with sessions as (

    select * from {{ ref('int_sessions') }}
    {% if is_incremental() %}
    where user_id in (
        select user_id from {{ ref('int_sessions') }}
        where last_received_at > (select max(last_received_at) from {{ this }})
    )
    {% endif %}

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
    exit_page,
    last_received_at
from sessions
