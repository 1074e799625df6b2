// Golden SQL (test/golden/): runs a small project on a real embedded warehouse (PGlite for the
// PostgreSQL dialect, chDB for ClickHouse's), records every statement the commands sent (see
// statement-recorder.ts) and renders them as one readable .sql text per case, compared with
// vitest's `toMatchFileSnapshot`.
//
// The text is deterministic at its source: a fixed schema name (`golden`), one thread, a fixed
// invocation id and a fixed clock per run (`now`, which snapshots, microbatch windows and the
// generated index names read). `normalise` removes the rest (see there).
import type { StatementEvent } from '../../src/adapters/adapter.js';
import type { InvocationOptions } from '../../src/app/invocation.js';
import type { runCommand } from '../../src/app/commands.js';
import { takeStatements } from './statement-recorder.js';
import { warehouseProject, type RunOutcome, type WarehouseProject } from './warehouse-project.js';

type CommandName = Parameters<typeof runCommand>[1];

/** The schema every golden project builds in (a ClickHouse database). */
export const GOLDEN_SCHEMA = 'golden';
/** Schemas a golden project may create besides GOLDEN_SCHEMA (store_failures, snapshots). */
const EXTRA_SCHEMAS = ['golden_dbt_test__audit', 'golden_snapshots'];
/** The clock of run n (0-based): midnight UTC on 2024-03-0(n+1). */
export function goldenNow(run: number): Date {
  return new Date(Date.UTC(2024, 2, 1 + run));
}

export interface GoldenRun {
  command: CommandName;
  /** Files (re)written before this run (e.g. a model's second version). */
  write?: Record<string, string>;
  options?: Partial<InvocationOptions>;
}

export interface GoldenOutcome {
  /** The golden text: every statement of every run. */
  text: string;
  project: WarehouseProject;
  outcomes: RunOutcome[];
}

export type GoldenKind = 'pglite' | 'chdb';

/**
 * The one normaliser, for what is not the statement's own text:
 * - the query comment at its head (dbt's default: app, dbt and tsdbt versions, profile, target and
 *   node): it is the same on every statement of a node, the golden shows the node once above its
 *   statements instead, and its versions change with every release (src/config/query-comment.test.ts and
 *   test/e2e/project-rendering.test.ts pin the comment);
 * - PostgreSQL object ids (`16385::oid`), which a warehouse assigns as it creates objects.
 */
export function normalise(sql: string): string {
  return sql
    .replace(/^\/\* [\s\S]*? \*\/\n/, '')
    .replace(/\b\d+::oid\b/g, '<oid>::oid')
    .trim();
}

function render(runs: { label: string; events: StatementEvent[] }[]): string {
  const out: string[] = [];
  for (const run of runs) {
    out.push(`-- ==== ${run.label} ====`);
    let node: string | undefined | null = null;
    for (const event of run.events) {
      if (event.nodeId !== node) {
        node = event.nodeId;
        out.push('', `-- [${node ?? 'no node'}]`);
      }
      out.push(`${normalise(event.sql)};${event.error ? ` -- failed: ${event.error.message.split('\n')[0]}` : ''}`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** Runs the commands in order on a fresh project and renders the statements they sent. */
export async function goldenCase(kind: GoldenKind, files: Record<string, string>, runs: GoldenRun[]): Promise<GoldenOutcome> {
  const project = warehouseProject(kind, files, { target: { schema: GOLDEN_SCHEMA, threads: 1 } });
  if (kind === 'chdb') await dropChdbSchemas(project);
  const rendered: { label: string; events: StatementEvent[] }[] = [];
  const outcomes: RunOutcome[] = [];
  takeStatements();
  for (const [i, run] of runs.entries()) {
    for (const [file, text] of Object.entries(run.write ?? {})) project.write(file, text);
    const now = goldenNow(i);
    const outcome = await project.run(run.command, { now: () => now, invocationId: `00000000-0000-4000-8000-00000000000${i + 1}`, ...run.options });
    outcomes.push(outcome);
    const flags = Object.entries(run.options ?? {}).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('');
    rendered.push({ label: `run ${i + 1}: ${run.command}${flags}`, events: takeStatements() });
  }
  return { text: render(rendered), project, outcomes };
}

async function dropChdbSchemas(project: WarehouseProject): Promise<void> {
  for (const schema of [GOLDEN_SCHEMA, ...EXTRA_SCHEMAS]) await project.sql(`drop database if exists \`${schema}\` sync`);
}

/** Removes the project (and, on chDB, whose data directory the process shares, its databases). */
export async function cleanupGolden(kind: GoldenKind, outcome: GoldenOutcome | undefined): Promise<void> {
  if (!outcome) return;
  if (kind === 'chdb') await dropChdbSchemas(outcome.project);
  await outcome.project.cleanup();
}
