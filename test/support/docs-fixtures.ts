// What the docs site's browser test adds to the example project so every page kind has something
// to show: a group (the marts join it), an exposure reading both marts (and one whose label, URL
// and description try to be markup), a semantic model with
// metrics and a saved query (and the daily time spine dbt requires with them), a unit test, and a source with freshness criteria over the seeded
// click events (two years old: `warn`). dbt-core parses the same files.

export const DOCS_FIXTURE_FILES: Record<string, string> = {
  'models/time_spine_daily.sql': 'select current_date as date_day\n',
  'models/docs_resources.yml': `version: 2

groups:
  - name: analytics
    owner: {name: Analytics team, email: analytics@example.com}
    description: The session marts.

exposures:
  - name: sessions_dashboard
    label: Sessions dashboard
    type: dashboard
    maturity: high
    url: https://bi.example.com/sessions
    description: Daily sessions, duration and conversion, from the session marts.
    owner: {name: Ann Analyst, email: ann@example.com}
    depends_on:
      - ref('mart_session_metrics')
      - ref('user_sessions')
  - name: partner_export
    label: "<b>Partner</b> export"
    type: application
    maturity: low
    url: "javascript:alert(1)"
    description: "Raw HTML in project text stays text: <img src=x onerror=alert(1)>"
    owner: {name: Bo}
    depends_on: [ref('user_sessions')]

models:
  - name: time_spine_daily
    description: One row per day, MetricFlow's time spine.
    time_spine: {standard_granularity_column: date_day}
    columns:
      - {name: date_day, granularity: day}

semantic_models:
  - name: sessions
    description: One row per session.
    model: ref('mart_session_metrics')
    defaults: {agg_time_dimension: session_start}
    entities:
      - {name: session, type: primary, expr: session_id}
      - {name: user, type: foreign, expr: user_id}
    dimensions:
      - {name: session_start, type: time, type_params: {time_granularity: hour}}
      - {name: purchased, type: categorical}
    measures:
      - {name: session_count, agg: count, expr: session_id}
      - {name: total_duration_seconds, agg: sum, expr: duration_seconds}

metrics:
  - name: session_count
    label: Sessions
    description: How many sessions.
    type: simple
    type_params: {measure: session_count}
  - name: total_session_duration
    label: Total session duration (s)
    type: simple
    type_params: {measure: total_duration_seconds}
  - name: average_session_duration
    label: Average session duration (s)
    type: ratio
    type_params: {numerator: total_session_duration, denominator: session_count}

saved_queries:
  - name: sessions_by_day
    description: Sessions and their average duration per day.
    query_params:
      metrics: [session_count, average_session_duration]
      group_by: ["TimeDimension('metric_time', 'day')"]

unit_tests:
  - name: single_event_session_lasts_zero_seconds
    description: A session with one event has a duration of 0.
    model: mart_session_metrics
    overrides:
      macros: {is_incremental: false}
    given:
      - input: ref('int_sessions')
        rows:
          - {session_id: s1, user_id: u1, session_start: '2024-01-01 10:00:00', session_end: '2024-01-01 10:00:00', page_views: 1, events: 1, purchased: false}
    expect:
      rows:
        - {session_id: s1, duration_seconds: 0}
`,
  'models/staging/_landed_sources.yml': `version: 2

sources:
  - name: landed
    description: The seeded click events, checked for freshness by when they were received.
    schema: "{{ target.schema }}_raw"
    loaded_at_field: "cast(received_at as timestamp)"
    freshness:
      warn_after: {count: 12, period: hour}
      error_after: {count: 100000, period: day}
    tables:
      - name: raw_click_events
`,
};

/** dbt_project.yml of the example with the marts in the `analytics` group. */
export function withMartsGroup(projectYml: string): string {
  return projectYml.replace("+tags: ['marts']", "+tags: ['marts']\n      +group: analytics");
}
