// One property-file entry (`models:`, `seeds:`, `snapshots:` ...) as the parser patches it onto the
// node of the same name: its description, config, columns and tests, and where it was written.
import type { ColumnDef, ManifestNode } from '../manifest/types.js';
import type { GenericTestInput } from './parse-generic-tests.js';

export interface PatchEntry {
  name: string;
  description?: string;
  config?: Record<string, unknown>;
  /** The entry's `config:` as written, before its Jinja rendered (project/types.ts ResourceEntry.writtenConfig). */
  writtenConfig?: Record<string, unknown>;
  columns?: (ColumnDef & { tests?: GenericTestInput[] })[];
  tests?: GenericTestInput[];
  meta?: Record<string, unknown>;
  docs?: { show?: boolean; node_color?: unknown };
  constraints?: unknown[];
  deprecation_date?: string | null;
  time_spine?: ManifestNode['time_spine'];
  location: { file: string; line?: number };
}
