// The app's command functions as the CLI calls them, each loaded from its module on first call.

/**
 * A command's module loads when that command runs, not at start-up: `--version`, `--help` and
 * every other command skip the warehouse drivers, the Jinja engine, Kafka, ELK and the SQL parser
 * they pull in (issue 18: start-up under 0.1 s).
 */
function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never {
  const call = async (...args: unknown[]) => ((await load())[name] as (...a: unknown[]) => unknown)(...args);
  return call as never;
}
export const depsCommand = lazy(() => import('../app/deps-command.js'), 'depsCommand');
export const cleanCommand = lazy(() => import('../app/commands.js'), 'cleanCommand');
export const compileCommand = lazy(() => import('../app/compile-command.js'), 'compileCommand');
export const debugCommand = lazy(() => import('../app/debug-command.js'), 'debugCommand');
export const parseCommand = lazy(() => import('../app/parse-command.js'), 'parseCommand');
export const runCommand = lazy(() => import('../app/commands.js'), 'runCommand');
export const loadCommand = lazy(() => import('../app/load-command.js'), 'loadCommand');
export const docsGenerateCommand = lazy(() => import('../app/docs-command.js'), 'docsGenerateCommand');
export const docsServeCommand = lazy(() => import('../app/docs-command.js'), 'docsServeCommand');
export const produceSampleCommand = lazy(() => import('../app/produce-sample-command.js'), 'produceSampleCommand');
export const scheduleCommand = lazy(() => import('../app/schedule-command.js'), 'scheduleCommand');
export const sourceFreshnessCommand = lazy(() => import('../app/source-freshness.js'), 'sourceFreshnessCommand');
export const runOperationCommand = lazy(() => import('../app/run-operation.js'), 'runOperationCommand');
export const cloneCommand = lazy(() => import('../app/clone-command.js'), 'cloneCommand');
export const retryCommand = lazy(() => import('../app/retry-command.js'), 'retryCommand');
export const showCommand = lazy(() => import('../app/show-command.js'), 'showCommand');
export const initCommand = lazy(() => import('../app/init-command.js'), 'initCommand');
export const lsModule = () => import('../app/ls-command.js');
