// A recording seam for the golden SQL tests (test/golden/): wraps the adapter registry's
// `createAdapter` so every adapter a command opens also reports its statements here, through the
// same `AdapterContext.onStatement` event that feeds --debug and target/run/. The database stays
// real (PGlite, chDB); only the list is added. Type imports only: this module is loaded from a
// `vi.mock` factory of src/adapters/index.js, so it must not import that module itself.
import type { Adapter, AdapterContext, AdapterTargetConfig, StatementEvent } from '../../src/adapters/adapter.js';

/** Every statement sent since the last `take()`, in the order the warehouse finished them. */
const recorded: StatementEvent[] = [];

/** Returns the statements recorded so far and starts a new list. */
export function takeStatements(): StatementEvent[] {
  return recorded.splice(0, recorded.length);
}

type CreateAdapter = (target: AdapterTargetConfig, context: AdapterContext) => Promise<Adapter>;

/** The registry module with a `createAdapter` whose adapters also record every statement. */
export function recordingRegistry<M extends { createAdapter: CreateAdapter }>(registry: M): M {
  const createAdapter: CreateAdapter = (target, context) =>
    registry.createAdapter(target, {
      ...context,
      onStatement: (event) => {
        recorded.push(event);
        context.onStatement?.(event);
      },
    });
  return { ...registry, createAdapter };
}
