// The materialization registry: config `materialized` -> implementation.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { KNOWN_MATERIALIZATIONS } from '../manifest/known-materializations.js';
import { materializeDictionary } from './dictionary.js';
import { materializeDistributedIncremental } from './distributed-incremental.js';
import { materializeDistributedTable } from './distributed-table.js';
import { materializeIncremental, runsInBatches } from './incremental.js';
import type { Materialization } from './materialization.js';
import { materializeMaterializedView } from './materialized-view.js';
import { materializeSeed } from './seed.js';
import { materializeSnapshot } from './snapshot.js';
import { materializeTable } from './table.js';
import { materializeTest } from './test.js';
import { materializeUnitTest } from './unit-test.js';
import { materializeView } from './view.js';
import type { ManifestNode } from '../manifest/types.js';
import type { BuildingBlocks } from './building-blocks.js';

const MODEL_MATERIALIZATIONS: Record<string, Materialization> = {
  dictionary: materializeDictionary,
  distributed_incremental: materializeDistributedIncremental,
  distributed_table: materializeDistributedTable,
  incremental: materializeIncremental,
  materialized_view: materializeMaterializedView,
  table: materializeTable,
  view: materializeView,
};

/**
 * The built-ins that never read `ctx.existing` (their swap reads the catalog inside its own
 * transaction), so the executor need not look the relation up before running them.
 */
const IGNORE_EXISTING: ReadonlySet<Materialization> = new Set([materializeTable, materializeView]);

/** Whether `materialize` reads `ctx.existing` (a project's materialization, or a built-in that does). */
export function readsExisting(materialize: Materialization): boolean {
  return !IGNORE_EXISTING.has(materialize);
}

/** Whether the node runs as dbt's microbatch runner runs it: rendered per batch only, never as a whole. */
export function rendersPerBatch(materialize: Materialization, node: ManifestNode, blocks: BuildingBlocks, batchCustomMicrobatch: boolean | undefined): boolean {
  return materialize === materializeIncremental && runsInBatches(node, blocks, batchCustomMicrobatch);
}

export function materializationFor(resourceType: string, materialized: string, location?: { file: string; line?: number }): Materialization {
  if (resourceType === 'seed') return materializeSeed;
  if (resourceType === 'test') return materializeTest;
  if (resourceType === 'unit_test') return materializeUnitTest;
  if (resourceType === 'snapshot') return materializeSnapshot;
  const found = MODEL_MATERIALIZATIONS[materialized];
  if (!found) {
    throw new TsdbtError(`unknown materialization '${materialized}'`, {
      code: 'materialization-unknown',
      location,
      hint: `use one of: ${KNOWN_MATERIALIZATIONS.join(', ')}`,
    });
  }
  return found;
}
