// `tsdbt seed --show` (dbt's SeedTask.show_tables): after the run's "Finished running" line, each
// seed that did not fail is printed as a random sample of its CSV: a "Random sample of table:
// schema.alias" header, a rule as long, and the rows in random order as agate's print_table draws
// them (at most 10 rows, every column), between blank lines.
import { dialectFor } from '../adapters/index.js';
import type { Logger } from './logger.js';
import type { NodeResult } from '../manifest/results.js';
import type { Manifest } from '../manifest/types.js';
import { tableText, typeNamesOf } from '../jinja/pylib/agate/index.js';
import { seedCsvTable } from '../materializations/user-node-kinds.js';
import type { LoadedProject } from './project-loader.js';

export interface SeedSample {
  header: string;
  table: string;
}

/** The sample of each seed of `results` that did not end in error (dbt's show_tables skips those). */
export async function seedSamples(project: LoadedProject, manifest: Manifest, results: readonly NodeResult[]): Promise<SeedSample[]> {
  const dialect = dialectFor(project.target);
  const samples: SeedSample[] = [];
  for (const result of results) {
    const node = manifest.nodes[result.unique_id];
    if (node?.resource_type !== 'seed' || !node.seed_file || result.status === 'error') continue;
    const table = await seedCsvTable(node, dialect.sql, dialect.rules);
    // agate's order_by(lambda x: random.random()): the rows shuffled.
    const values = table.rows.map((row) => row.values());
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [values[i], values[j]] = [values[j] as unknown[], values[i] as unknown[]];
    }
    // print_table(max_rows=10, max_columns=None).
    samples.push({ header: `Random sample of table: ${node.schema}.${node.alias ?? node.name}`, table: tableText(table.column_names, typeNamesOf(table), values, 10, Infinity, 20, 3).replace(/\n$/, '') });
  }
  return samples;
}

/** The samples between blank lines, each under its header and a rule as long; the table on stdout as agate prints it. */
export function printSeedSamples(logger: Logger, samples: readonly SeedSample[]): void {
  for (const { header, table } of samples) {
    logger.info('');
    logger.info(header, 'SeedHeader', { header });
    logger.info('-'.repeat(header.length));
    logger.out(table);
    logger.info('');
  }
}
