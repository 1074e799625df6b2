// Jinja2's global functions available in every template: range, dict, namespace, joiner,
// cycler, plus dbt's `return()` (stops the enclosing macro with a value).
import { isKeywordArgs } from './macro-runtime.js';
import { Namespace, MacroReturn, Undef, numberOf, renderError } from './values.js';
import { copyDict, setItem } from './py-dict.js';
import { unpack } from './py-ops.js';

function splitKw(args: unknown[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  if (isKeywordArgs(last)) {
    const { __keywords: _k, ...rest } = last;
    return [args.slice(0, -1), rest];
  }
  return [args, {}];
}

function range(...args: unknown[]): number[] {
  const nums = args.map((a) => numberOf(a) ?? 0);
  const [start, stop, step] = nums.length === 1 ? [0, nums[0] as number, 1] : [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 1];
  if (step === 0) throw renderError('range() arg 3 must not be zero');
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  if (out.length > 100000) throw renderError('range too big, maximum size for range is 100000');
  return out;
}

class Cycler {
  private pos = 0;
  constructor(private readonly items: unknown[]) {}
  get current(): unknown {
    return this.items[this.pos];
  }
  next(): unknown {
    const v = this.items[this.pos];
    this.pos = (this.pos + 1) % this.items.length;
    return v;
  }
  reset(): void {
    this.pos = 0;
  }
}

/** The built-in globals. */
export function builtinGlobals(): Record<string, unknown> {
  return {
    range,
    dict: (...args: unknown[]) => {
      const [pos, kw] = splitKw(args);
      // dict(mapping), dict(iterable of pairs), dict(**kwargs), as Python.
      const first = pos[0];
      let base: Record<string, unknown> = {};
      if (Array.isArray(first)) {
        for (const pair of first) {
          const [key, value] = unpack(pair, 2);
          setItem(base, key, value);
        }
      } else if (first && typeof first === 'object' && !(first instanceof Undef)) {
        base = copyDict(first);
      }
      return Object.assign(base, kw);
    },
    namespace: (...args: unknown[]) => {
      const [pos, kw] = splitKw(args);
      return new Namespace({ ...((pos[0] as object | undefined) ?? {}), ...kw });
    },
    joiner: (sep: unknown = ', ') => {
      let used = false;
      return () => {
        if (!used) {
          used = true;
          return '';
        }
        return sep;
      };
    },
    cycler: (...items: unknown[]) => new Cycler(items),
    return: (value?: unknown) => {
      throw new MacroReturn(isKeywordArgs(value) ? undefined : value);
    },
  };
}
