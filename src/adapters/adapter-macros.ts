// Where an adapter folder keeps its Jinja macros (`<folder>/macros/*.sql`: its `<adapter>__`
// implementations of dbt's dispatched macros, as dbt-postgres and dbt-clickhouse ship theirs).
// From the sources it is beside the registration; from the built package (dist/adapters/<folder>/,
// or the bundled CLI in dist/bundle/) it is the shipped source folder, src/adapters/<folder>/macros.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The macro folder of the adapter in src/adapters/`folder`, whose module is at `moduleUrl` (its `import.meta.url`), or null. */
export function adapterMacroDir(moduleUrl: string, folder: string): string | null {
  const here = path.dirname(fileURLToPath(moduleUrl));
  const candidates = [path.join(here, 'macros'), path.join(here, '../../../src/adapters', folder, 'macros'), path.join(here, '../../src/adapters', folder, 'macros')];
  return candidates.find((dir) => existsSync(dir)) ?? null;
}
