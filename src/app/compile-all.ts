// Parses and compiles every model of a project without a database (the benchmark's entry point
// and `tsdbt compile`'s core): returns the time each stage took.
import { dialectFor } from '../adapters/index.js';
import { Compiler } from '../execution/compiler.js';
import { createInvocation } from './invocation.js';
import { loadProject } from './project-loader.js';

export interface CompileTimings {
  parseSeconds: number;
  compileSeconds: number;
  nodes: number;
}

export async function compileProject(projectDir: string): Promise<CompileTimings> {
  const inv = createInvocation({ projectDir, write: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: projectDir } });
  const t0 = performance.now();
  const project = loadProject(inv);
  const t1 = performance.now();
  const { manifest, refs } = project.parsed;
  const compiler = new Compiler(project.session, manifest, refs, dialectFor(project.target).sql);
  compiler.prepare(Object.values(manifest.nodes));
  let nodes = 0;
  for (const node of Object.values(manifest.nodes)) {
    compiler.compile(node);
    nodes++;
  }
  const t2 = performance.now();
  return { parseSeconds: (t1 - t0) / 1000, compileSeconds: (t2 - t1) / 1000, nodes };
}
