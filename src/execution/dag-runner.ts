// Runs a set of interdependent steps on N worker "threads" (async lanes): a step starts when all
// of its dependencies finished without blocking; the descendants of a failed step are skipped;
// with fail-fast the run stops where dbt's stops (see `runDag`) and everything without a result is skipped.
import { blocksDescendants, failsFast, type NodeResult } from '../manifest/results.js';

export interface RunnableStep {
  id: string;
  /** Ids of steps (within this run) that must finish first. */
  dependsOn: string[];
}

export interface DagRunnerOptions<S extends RunnableStep> {
  steps: S[];
  threads: number;
  failFast: boolean;
  /** Executes one step; must not throw (errors are results). `threadId` is like `Thread-1 (worker)`. */
  execute(step: S, threadId: string): Promise<NodeResult>;
  /** Builds the result of a step that will not run. */
  skip(step: S, reason: string): NodeResult;
  onStart?(step: S): void;
  /** `ran`: a step stopped by fail-fast while it ran, what it gave (its result is the skipped one). */
  onFinish?(step: S, result: NodeResult, ran?: NodeResult): void;
  /**
   * Fail-fast stopped the run: `running` are the steps still running (their results will be
   * skipped results, as dbt loses them), `threads` each thread that ran a step with the last step it
   * ran, in the order the threads were first used (dbt's cancel_open names each thread's connection).
   */
  onFailFast?(running: S[], threads: { threadId: string; step: S }[]): void;
  /** Checked before each start; a true value stops scheduling (e.g. Ctrl-C). */
  cancelled?: () => boolean;
  /**
   * With one thread: called while a step runs, once its work waits on I/O (the event loop's check
   * phase; for a step `follow` started, right after its adoption's promise callbacks), with the
   * step that starts next if it succeeds and the thread it will run on, so that work of that step
   * which needs no answer can be done in the wait (NodeExecutor.speculate).
   */
  lookahead?: (step: S, threadId: string) => void;
  /**
   * With one thread, right after `lookahead`: starts that step early, behind the running one
   * (issue 18's pipelining, NodeExecutor.follow), or null. The runner `adopt`s it in its turn, in
   * place of `execute` (adopt resolves with its result; it writes its own START line), and
   * `abandon`s it if another step starts instead or it is skipped.
   */
  follow?: (step: S, threadId: string) => { adopt(): Promise<NodeResult>; abandon(): void } | null;
}

/**
 * The name of dbt's n-th runner thread, as run_results.json's `thread_id`, the `thread_id` a
 * template reads and the log's thread: a `multiprocessing.dummy` pool worker, which Python 3.10+
 * (dbt 1.11's least) names after its target, `Thread-1 (worker)`.
 */
export function workerThreadName(n: number): string {
  return `Thread-${n} (worker)`;
}

/** The thread names of a run of `threads` threads, in the order they are handed out. */
function threadNames(threads: number): string[] {
  return Array.from({ length: Math.max(1, threads) }, (_v, i) => workerThreadName(threads - i));
}

/** The step a one-thread run starts first, and its thread: what can be prepared while the run connects. */
export function firstStep<S extends RunnableStep>(steps: S[]): { step: S; threadId: string } | null {
  const ids = new Set(steps.map((s) => s.id));
  const step = steps.find((s) => !s.dependsOn.some((d) => ids.has(d)));
  return step ? { step, threadId: threadNames(1)[0] as string } : null;
}

/**
 * Runs the steps; resolves with one result per step, in completion order.
 *
 * Fail-fast as dbt's GraphRunnableTask runs it: its main thread hands every step whose
 * dependencies are done to the thread pool at once, and checks for a failure only when it is given
 * the next step (or, once every step is handed out, when one finishes). So the steps ready when
 * the first failure lands still run, unless that failure (or a later finish) makes another step
 * ready first: then it stops, the running steps' connections are cancelled and their results lost,
 * and every step without a result is skipped ("Skipping due to fail_fast").
 */
export async function runDag<S extends RunnableStep>(options: DagRunnerOptions<S>): Promise<NodeResult[]> {
  const { steps, failFast } = options;
  const byId = new Map(steps.map((s) => [s.id, s]));
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const step of steps) {
    const deps = step.dependsOn.filter((d) => byId.has(d));
    waitingOn.set(step.id, deps.length);
    for (const d of deps) {
      const list = dependents.get(d) ?? [];
      list.push(step.id);
      dependents.set(d, list);
    }
  }
  const ready: S[] = steps.filter((s) => waitingOn.get(s.id) === 0);
  const done = new Map<string, NodeResult>();
  const results: NodeResult[] = [];
  let stopped = false;
  /** Fail-fast: the first failure landed; the run stops at the next step made ready (dbt's next `get`). */
  let failed = false;
  /** Steps running now, and the last step each thread ran (in first-use order). */
  const runningSteps = new Set<S>();
  const lastOnThread = new Map<string, S>();
  const stopFailFast = () => {
    if (stopped) return;
    stopped = true;
    options.onFailFast?.([...runningSteps], [...lastOnThread].map(([threadId, step]) => ({ threadId, step })));
  };
  const freeThreads = threadNames(options.threads);
  /** With one thread, the step running (lookahead). */
  let inFlight: S | null = null;
  /** The step that starts after `step` (one thread), should `step` succeed: as `finish` and `pump` pick it. */
  const nextAfter = (step: S): S | undefined => {
    if (stopped) return undefined;
    if (ready.length > 0) return ready[0];
    for (const childId of dependents.get(step.id) ?? []) {
      if (waitingOn.get(childId) === 1 && !pendingSkips.has(childId) && !done.has(childId)) return byId.get(childId);
    }
    return undefined;
  };
  /**
   * The step that starts after `next` (started early behind the running `step`) should both
   * succeed, where that is known now: nothing is ready to run before it, and no other child of
   * `step` is made ready by its finish. Only renders ahead on it (a wrong guess wastes a render).
   */
  const secondAfter = (step: S, next: S): S | undefined => {
    if (stopped || ready.length > 0) return undefined;
    const waitingAfterStep = (id: string) => (waitingOn.get(id) ?? 0) - ((byId.get(id) as S).dependsOn.includes(step.id) ? 1 : 0);
    const runnable = (id: string) => !pendingSkips.has(id) && !done.has(id);
    if ((dependents.get(step.id) ?? []).some((id) => id !== next.id && waitingAfterStep(id) === 0 && runnable(id))) return undefined;
    const after = (dependents.get(next.id) ?? []).find((id) => waitingAfterStep(id) === 1 && runnable(id));
    return after === undefined ? undefined : byId.get(after);
  };
  const lookahead = options.lookahead && options.threads <= 1 ? options.lookahead : null;
  /** The step started early behind the running one (`follow`), until its turn. */
  let early: { step: S; adopt(): Promise<NodeResult>; abandon(): void } | null = null;

  const finish = (step: S, result: NodeResult) => {
    done.set(step.id, result);
    results.push(result);
    options.onFinish?.(step, result);
    if (failFast && !failed && failsFast(result)) failed = true;
    let madeReady = false;
    for (const childId of dependents.get(step.id) ?? []) {
      const remaining = (waitingOn.get(childId) ?? 0) - 1;
      waitingOn.set(childId, remaining);
      const child = byId.get(childId) as S;
      if (blocksDescendants(result)) {
        if (!done.has(childId) && !skipped.has(childId)) {
          skipped.add(childId);
          const reason = result.status === 'skipped' ? (result.skipped_because ?? step.id) : step.id;
          // Skip as soon as every dependency has finished, to keep the original order of output.
          pendingSkips.set(childId, reason);
        }
      }
      if (remaining === 0) {
        madeReady = true;
        // Fail-fast: dbt's main thread is handed this step and stops before skipping or running it.
        if (failed) continue;
        if (pendingSkips.has(childId)) finish(child, options.skip(child, pendingSkips.get(childId) as string));
        else ready.push(child);
      }
    }
    // Once every step is handed out, dbt checks after each finish; before, when a step is made ready.
    if (failed && (madeReady || waitingOn.size === done.size + runningSteps.size + ready.length)) stopFailFast();
  };
  const skipped = new Set<string>();
  const pendingSkips = new Map<string, string>();

  await new Promise<void>((resolve) => {
    let running = 0;
    const pump = () => {
      if (options.cancelled?.()) stopped = true;
      // A step started early runs only as the next one started; otherwise it is dropped (skipped, or run again in its turn).
      if (early && (stopped || ready[0] !== early.step || freeThreads.length === 0)) {
        early.abandon();
        early = null;
      }
      while (!stopped && ready.length > 0 && freeThreads.length > 0) {
        const step = ready.shift() as S;
        const thread = freeThreads.pop() as string;
        running++;
        runningSteps.add(step);
        lastOnThread.set(thread, step);
        options.onStart?.(step);
        inFlight = step;
        const started = early?.step === step ? early : null;
        early = null;
        void (started ? started.adopt() : options.execute(step, thread)).then((result) => {
          running--;
          inFlight = null;
          freeThreads.push(thread);
          runningSteps.delete(step);
          // Stopped by fail-fast while it ran: dbt cancelled its connection and dropped its result.
          if (stopped && failed) {
            const lost = options.skip(step, 'fail-fast');
            done.set(step.id, lost);
            results.push(lost);
            options.onFinish?.(step, lost, result);
            pump();
            return;
          }
          finish(step, result);
          pump();
        });
        if (lookahead) {
          const ahead = () => {
            const next = inFlight === step ? nextAfter(step) : undefined;
            try {
              if (next) lookahead(next, thread);
              const followed = next && !early ? options.follow?.(next, thread) : null;
              if (next && followed) {
                early = { step: next, ...followed };
                // Its render taken, the one after it renders in the wait too (check phase, after
                // the writes): in `next`'s turn only its queueing is left before the server has it.
                setImmediate(() => {
                  const second = early?.step === next && inFlight === step ? secondAfter(step, next) : undefined;
                  try {
                    if (second) lookahead(second, thread);
                  } catch {
                    // Only a head start.
                  }
                });
              }
            } catch {
              // Only a head start: the step does its work in its turn.
            }
          };
          // A step started early has its round trip on the wire already: the next one renders and
          // is queued behind it at once (after the promise callbacks its adoption queued), before
          // the check phase's file and log writes, so the server is handed it sooner. Any other
          // step sends its statements in later turns: the next one waits for the check phase.
          if (started) queueMicrotask(ahead);
          else setImmediate(ahead);
        }
      }
      if (running === 0 && (stopped || ready.length === 0)) {
        early?.abandon();
        early = null;
        resolve();
      }
    };
    pump();
  });

  // Anything that never ran (fail-fast, cancellation): skipped.
  for (const step of steps) {
    if (!done.has(step.id)) {
      const result = options.skip(step, stopped ? (options.cancelled?.() ? 'cancelled' : 'fail-fast') : failed ? 'fail-fast' : 'upstream');
      done.set(step.id, result);
      results.push(result);
      options.onFinish?.(step, result);
    }
  }
  return results;
}
