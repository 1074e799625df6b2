// Lists file-level import cycles in the TypeScript sources: every relative `import`, `export ... from`
// and literal `import('...')` (type-only imports too, since they still tie the files together),
// resolved to files, then the graph's strongly connected components of more than one file (and files
// importing themselves). Each component is one circle or several that share files.
//
//   node --import tsx scripts/import-cycles.ts [folder ...]    (default: src)
//   node --import tsx scripts/import-cycles.ts --runtime src   (leave out `import type` / `export type`)
//
// Exits 1 when there is a cycle, so it can guard CI.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

type Graph = Map<string, Set<string>>;

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules') tsFiles(path, out);
    } else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) {
      out.push(resolve(path));
    }
  }
  return out;
}

/** The file a relative specifier names (`./x.js` -> `./x.ts`, `./dir` -> `./dir/index.ts`), if any. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(js|ts|mjs|mts)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts')];
  return candidates.find((c) => /\.tsx?$/.test(c) && existsSync(c));
}

/** The relative specifiers a file imports (runtimeOnly: without type-only imports and exports). */
function specifiersOf(file: string, runtimeOnly: boolean): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!(runtimeOnly && node.importClause?.isTypeOnly)) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!(runtimeOnly && node.isTypeOnly)) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function importGraph(roots: string[], runtimeOnly = false): Graph {
  const graph: Graph = new Map();
  for (const file of roots.flatMap((root) => tsFiles(root))) {
    const targets = new Set<string>();
    for (const specifier of specifiersOf(file, runtimeOnly)) {
      const target = resolveSpecifier(file, specifier);
      if (target) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components with a cycle (Tarjan), each sorted, largest first. */
export function cycles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const strongConnect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) strongConnect(v);
  return found.sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!));
}

function main(): void {
  const args = process.argv.slice(2);
  const runtimeOnly = args.includes('--runtime');
  const roots = args.filter((a) => !a.startsWith('--'));
  const graph = importGraph(roots.length ? roots : ['src'], runtimeOnly);
  const found = cycles(graph);
  for (const component of found) {
    console.log(`cycle of ${component.length} files:`);
    for (const file of component) {
      const inside = [...graph.get(file)!].filter((t) => component.includes(t)).map((t) => relative(process.cwd(), t));
      console.log(`  ${relative(process.cwd(), file)} -> ${inside.join(', ')}`);
    }
  }
  const files = found.reduce((n, c) => n + c.length, 0);
  console.log(`${graph.size} files, ${found.length} import cycle(s) over ${files} files${runtimeOnly ? ' (runtime imports only)' : ''}`);
  process.exitCode = found.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
