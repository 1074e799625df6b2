// Golden SQL per adapter: for each built-in materialization and strategy (golden-cases.ts), every
// statement tsdbt sends on PostgreSQL (embedded PGlite; the server uses the same builders) and on
// ClickHouse (embedded chDB) is compared with test/golden/<adapter>/<case>.sql. A changed statement
// fails as a readable diff; `npx vitest run test/golden -u` writes the new text for review (never
// under CI=true, where a missing or changed file fails). Each case also checks the data it left.
import { describe, expect, it, vi } from 'vitest';
import { cleanupGolden, goldenCase, type GoldenKind, type GoldenOutcome } from '../support/golden.js';
import { GOLDEN_CASES } from './golden-cases.js';
import type * as Registry from '../../src/adapters/index.js';

vi.mock('../../src/adapters/index.js', async (importOriginal) => {
  const { recordingRegistry } = await import('../support/statement-recorder.js');
  return recordingRegistry(await importOriginal<typeof Registry>());
});

const FOLDER: Record<GoldenKind, string> = { pglite: 'postgres', chdb: 'clickhouse' };

describe.each(['pglite', 'chdb'] as const)('golden SQL on %s', (kind) => {
  it.each(GOLDEN_CASES.filter((c) => c.kinds.includes(kind)).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    let g: GoldenOutcome | undefined;
    try {
      g = await goldenCase(kind, c.files, c.runs);
      for (const outcome of g.outcomes) expect(outcome.code, outcome.output).toBe(0);
      await expect(g.text).toMatchFileSnapshot(`./${FOLDER[kind]}/${c.name}.sql`);
      await c.check(g, kind);
    } finally {
      await cleanupGolden(kind, g);
    }
  });
});
