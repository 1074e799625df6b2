// The pure half of the conformance harness (scripts/conformance.ts): turns a run's
// target/run_results.json (dbt v6 format) and target/manifest.json into counts per resource type
// and the first error of every failing node, and formats them as a table.

export const OUTCOMES = ['passed', 'warned', 'failed', 'errored', 'skipped'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type Counts = Record<Outcome, number> & { total: number };

/** The parts of run_results.json the summary reads. */
export interface RunResultsLike {
  results?: Array<{ unique_id: string; status: string; message?: string | null }>;
}

/** The parts of manifest.json the summary reads (dbt keeps unit tests and sources outside `nodes`). */
export interface ManifestLike {
  nodes?: Record<string, { resource_type?: string }>;
  unit_tests?: Record<string, { resource_type?: string }>;
  sources?: Record<string, { resource_type?: string }>;
}

export interface Problem {
  unique_id: string;
  resource_type: string;
  status: string;
  /** The first line(s) of the node's message, at most MESSAGE_LIMIT characters. */
  message: string;
}

export interface ConformanceSummary {
  byType: Record<string, Counts>;
  totals: Counts;
  /** Every failed or errored node, in run order. */
  problems: Problem[];
  /** Nothing failed or errored. */
  ok: boolean;
}

export const MESSAGE_LIMIT = 300;

/** Which column a run_results status counts in. Unknown statuses count as errors. */
export function outcomeOf(status: string): Outcome {
  switch (status) {
    case 'success':
    case 'pass':
    case 'no-op':
      return 'passed';
    case 'warn':
      return 'warned';
    case 'fail':
      return 'failed';
    case 'skipped':
      return 'skipped';
    default: // error, runtime error, partial success (some microbatch windows failed), anything new
      return 'errored';
  }
}

/** The node's resource type from the manifest, else from its unique_id (`model.pkg.name` → model). */
export function resourceTypeOf(uniqueId: string, manifest?: ManifestLike): string {
  const node = manifest?.nodes?.[uniqueId] ?? manifest?.unit_tests?.[uniqueId] ?? manifest?.sources?.[uniqueId];
  return node?.resource_type ?? uniqueId.split('.')[0] ?? 'unknown';
}

/**
 * The first error of a message: its first two non-blank lines (dbt puts a `Database Error in model
 * x` header line before the database's own words; tsdbt puts a hint after the error), whitespace
 * collapsed, joined with ` | `, cut to `limit` characters.
 */
export function firstError(message: string | null | undefined, limit = MESSAGE_LIMIT): string {
  const lines = (message ?? '')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '');
  const text = lines.slice(0, 2).join(' | ') || '(no message)';
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function zero(): Counts {
  return { passed: 0, warned: 0, failed: 0, errored: 0, skipped: 0, total: 0 };
}

export function summarise(runResults: RunResultsLike, manifest?: ManifestLike): ConformanceSummary {
  const byType: Record<string, Counts> = {};
  const totals = zero();
  const problems: Problem[] = [];
  for (const r of runResults.results ?? []) {
    const type = resourceTypeOf(r.unique_id, manifest);
    const outcome = outcomeOf(r.status);
    const counts = (byType[type] ??= zero());
    counts[outcome]++;
    counts.total++;
    totals[outcome]++;
    totals.total++;
    if (outcome === 'failed' || outcome === 'errored') {
      problems.push({ unique_id: r.unique_id, resource_type: type, status: r.status, message: firstError(r.message) });
    }
  }
  return { byType, totals, problems, ok: totals.failed + totals.errored === 0 };
}

/** The usual build order first, then any other types alphabetically. */
const TYPE_ORDER = ['seed', 'model', 'snapshot', 'test', 'unit_test'];

export function sortedTypes(summary: ConformanceSummary): string[] {
  const rank = (t: string) => (TYPE_ORDER.includes(t) ? TYPE_ORDER.indexOf(t) : TYPE_ORDER.length);
  return Object.keys(summary.byType).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The table of counts, then one `status  unique_id: first error` line per problem. */
export function formatSummary(summary: ConformanceSummary): string {
  const header = ['type', ...OUTCOMES, 'total'];
  const row = (label: string, c: Counts) => [label, ...OUTCOMES.map((o) => String(c[o])), String(c.total)];
  const rows = [header, ...sortedTypes(summary).map((t) => row(t, summary.byType[t] ?? zero())), row('total', summary.totals)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const out = rows.map(line);
  out.splice(rows.length - 1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  if (summary.totals.total === 0) out.push('', 'run_results.json lists no nodes');
  if (summary.problems.length) {
    out.push('', `${summary.problems.length} failing node${summary.problems.length === 1 ? '' : 's'}:`);
    for (const p of summary.problems) out.push(`  ${p.status.padEnd(5)}  ${p.unique_id}: ${p.message}`);
  }
  return out.join('\n');
}
