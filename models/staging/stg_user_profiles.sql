-- One row per user: the latest version of the profile (the table is synced incrementally from the
-- application database, so a user who changed plan has several versions).
with source as (

    select * from {{ ref('user_profiles') }}

),

versions as (

    select
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast(username as {{ dbt.type_string() }}) as username,
        cast(account_type as {{ dbt.type_string() }}) as account_type,
        cast(signup_date as date) as signup_date,
        cast(country as {{ dbt.type_string() }}) as country,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        row_number() over (partition by user_id order by updated_at desc) as version_rank
    from source

)

select
    user_id,
    username,
    account_type,
    signup_date,
    country,
    updated_at
from versions
where version_rank = 1
