// Names of the materializations tsdbt implements (a model naming another, and no `{% materialization %}`, fails when it runs, as in dbt).
export const KNOWN_MATERIALIZATIONS = ['table', 'view', 'incremental', 'ephemeral', 'distributed_table', 'materialized_view'];
