// `--sample`, resolved once per invocation: the run's window (execute-plan) and dbt's SampleWindow that
// templates see (`flags.SAMPLE`, `invocation_args_dict.sample`) are the same instant's reading, as
// dbt's click type converts the flag once, when the command line is read (relative to the
// invocation's start, not to whenever each reader asks).
import { parseSampleWindow, SampleWindowValue } from '../compile/sample-window.js';
import type { EventTimeWindow } from '../compile/event-time-filter.js';
import type { Invocation } from './invocation.js';

type Resolved = { window: EventTimeWindow } | { error: unknown };

const resolved = new WeakMap<Invocation, Resolved>();

function resolve(inv: Invocation, text: string): Resolved {
  let entry = resolved.get(inv);
  if (!entry) {
    try {
      entry = { window: parseSampleWindow(text, inv.startedAt) };
    } catch (error) {
      entry = { error };
    }
    resolved.set(inv, entry);
  }
  return entry;
}

/** The window `--sample` names, or null without the flag; a window that cannot be read throws its usage error (exit 2). */
export function sampleWindowOf(inv: Invocation): EventTimeWindow | null {
  const text = inv.options.sample;
  if (text === undefined) return null;
  const entry = resolve(inv, text);
  if ('error' in entry) throw entry.error;
  return entry.window;
}

/** `--sample` as dbt's flags hold it: the window, or the text itself where it names none (the command refuses it before anything runs). */
export function sampleFlagOf(inv: Invocation): SampleWindowValue | string | null {
  const text = inv.options.sample;
  if (text === undefined) return null;
  const entry = resolve(inv, text);
  return 'error' in entry ? text : new SampleWindowValue(entry.window);
}
