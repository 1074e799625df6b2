// Names of the materializations tsdbt implements (checked at parse time, so a typo exits 2).
export const KNOWN_MATERIALIZATIONS = ['table', 'view', 'incremental', 'ephemeral', 'distributed_table'];
