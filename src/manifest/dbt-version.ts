// The dbt version whose behaviour tsdbt follows, at the floor: the artifacts stamp it, templates see
// it as `dbt_version`, and `require-dbt-version` ranges are checked against it.

/** The dbt version whose behaviour (and artifact schemas) tsdbt follows: the newest 1.10 patch, so packages whose require-dbt-version asks for a 1.10 patch (dbt_date 0.16.1+ wants >=1.10.5) resolve and parse. */
export const DBT_VERSION = '1.10.23';
