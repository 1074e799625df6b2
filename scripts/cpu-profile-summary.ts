// Summarises a V8 CPU profile (`node --cpu-prof --cpu-prof-dir=DIR bin/tsdbt.js parse ...`): self
// time by function and by module (an npm package, a file of dist/, or a native part such as the
// garbage collector), and the call tree from the outermost calls of a function, inclusive times
// with calls of one name at one level added together (so 10,000 calls of parseSqlFile show as one
// line). Times are the profile's samples, which are wall-clock: on a busy machine a function that
// was running when the process lost the CPU is charged for the wait, so compare shares, not ms.
//
//   node --import tsx scripts/cpu-profile-summary.ts FILE.cpuprofile [--top N] [--tree REGEXP] [--depth N] [--min-ms N]
//
// --tree defaults to the root: the whole tree to --depth levels (default 4), lines under --min-ms
// (default 50) left out.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One line of a summary: a name and its time in ms. */
export type Row = [name: string, ms: number];

/** A tree line: its depth, inclusive ms and name (`function:line`). */
export interface TreeLine {
  depth: number;
  ms: number;
  name: string;
}

const frameName = (f: CallFrame) => `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`;
/** A file's path from its package (`node_modules/js-yaml/...`) or from dist/. */
const shortUrl = (url: string) => {
  const path = url.replace(/^file:\/\//, '');
  const at = path.lastIndexOf('node_modules/');
  return at >= 0 ? path.slice(at) : path.replace(/^.*\/(dist\/)/, '$1');
};

/** The module a frame belongs to: its npm package, its file, or (native code) its name. */
export function moduleOf(f: CallFrame): string {
  if (!f.url) return f.functionName || '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url);
  return pkg ? (pkg[1] as string) : shortUrl(f.url);
}

/** Self time (ms) of each profile node id. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  return self;
}

const sorted = (m: Map<string, number>): Row[] => [...m].sort((a, b) => b[1] - a[1]);

/** Total sampled ms, and self time by function (`name url:line`) and by module, largest first. */
export function selfSummary(profile: CpuProfile): { totalMs: number; byFunction: Row[]; byModule: Row[] } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of selfTimes(profile)) {
    const f = (nodes.get(id) as ProfileNode).callFrame;
    const key = `${frameName(f)} ${shortUrl(f.url)}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    byModule.set(moduleOf(f), (byModule.get(moduleOf(f)) ?? 0) + ms);
    totalMs += ms;
  }
  return { totalMs, byFunction: sorted(byFunction), byModule: sorted(byModule) };
}

/**
 * The call tree below the outermost calls of functions whose `name:line` matches `root`: at each
 * level, calls of one name added together, inclusive ms, largest first, to `depth` levels below.
 */
export function callTree(profile: CpuProfile, root: RegExp, depth: number, minMs: number): TreeLine[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfTimes(profile);
  const inclusive = new Map<number, number>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Children come after their parents in the profile's node list: add up from the end.
  for (const n of [...profile.nodes].reverse()) {
    inclusive.set(n.id, (self.get(n.id) ?? 0) + (n.children ?? []).reduce((t, c) => t + (inclusive.get(c) ?? 0), 0));
  }
  const matches = (id: number) => root.test(frameName((nodes.get(id) as ProfileNode).callFrame));
  const outermost = profile.nodes.filter((n) => {
    if (!matches(n.id)) return false;
    for (let p = parent.get(n.id); p !== undefined; p = parent.get(p)) if (matches(p)) return false;
    return true;
  });
  const out: TreeLine[] = [];
  const level = (ids: number[], d: number) => {
    const groups = new Map<string, { ms: number; children: number[] }>();
    for (const id of ids) {
      const n = nodes.get(id) as ProfileNode;
      const g = groups.get(frameName(n.callFrame)) ?? { ms: 0, children: [] };
      g.ms += inclusive.get(id) ?? 0;
      g.children.push(...(n.children ?? []));
      groups.set(frameName(n.callFrame), g);
    }
    for (const [name, g] of [...groups].sort((a, b) => b[1].ms - a[1].ms)) {
      if (g.ms < minMs) continue;
      out.push({ depth: d, ms: g.ms, name });
      if (d < depth) level(g.children, d + 1);
    }
  };
  level(outermost.map((n) => n.id), 0);
  return out;
}

function main(argv: string[]): void {
  const option = (name: string, fallback: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? (argv.splice(at, 2)[1] ?? fallback) : fallback;
  };
  const top = Number(option('--top', '30'));
  const tree = option('--tree', '^\\(root\\):');
  const depth = Number(option('--depth', '4'));
  const minMs = Number(option('--min-ms', '50'));
  const file = argv[0];
  if (!file) throw new Error('usage: cpu-profile-summary.ts FILE.cpuprofile [--top N] [--tree REGEXP] [--depth N] [--min-ms N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { totalMs, byFunction, byModule } = selfSummary(profile);
  const line = ([name, ms]: Row) => `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${name}`;
  console.log(`${totalMs.toFixed(0)} ms sampled\n\nself time by function:`);
  for (const row of byFunction.slice(0, top)) console.log(line(row));
  console.log('\nself time by module:');
  for (const row of byModule.slice(0, top)) console.log(line(row));
  console.log(`\ninclusive time from ${tree}:`);
  for (const t of callTree(profile, new RegExp(tree), depth, minMs)) console.log(`${'  '.repeat(t.depth)}${line([t.name, t.ms]).trimStart()}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
