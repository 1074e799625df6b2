// The dbt version whose behaviour tsdbt follows, at the floor: the artifacts stamp it, templates see
// it as `dbt_version`, and `require-dbt-version` ranges are checked against it.

/**
 * The dbt version whose behaviour (and artifact shapes) tsdbt follows: the newest 1.11 patch, the
 * series whose functional tests tsdbt is measured against (user-defined functions, `static_analysis`
 * in node configs). Projects that ask for `>=1.11.0` (public projects do) resolve and
 * parse; a 1.10 patch range (dbt_date 0.16.1+ wants >=1.10.5) still does.
 */
export const DBT_VERSION = '1.11.14';
