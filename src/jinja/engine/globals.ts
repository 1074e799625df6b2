// Jinja2's global functions available in every template: range, dict, namespace, joiner,
// cycler, lipsum, plus dbt's `return()` (stops the enclosing macro with a value).
import { isKeywordArgs } from './macro-runtime.js';
import { Namespace, MacroReturn, Undef, numberOf, renderError, takingTemplateValues } from './values.js';
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

const LOREM = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est laborum'.split(' ');

/** Jinja2's `lipsum(n=5, html=True, min=20, max=100)`: n paragraphs of placeholder Latin. */
function lipsum(...args: unknown[]): string {
  const [pos, kw] = splitKw(args);
  const arg = (i: number, name: string, dflt: unknown) => (i < pos.length ? pos[i] : name in kw ? kw[name] : dflt);
  const n = numberOf(arg(0, 'n', 5)) ?? 5;
  const html = arg(1, 'html', true) !== false;
  const min = numberOf(arg(2, 'min', 20)) ?? 20;
  const max = numberOf(arg(3, 'max', 100)) ?? 100;
  const paragraphs: string[] = [];
  for (let p = 0; p < n; p++) {
    const count = min + Math.floor(Math.random() * (Math.max(max, min) - min + 1));
    const words = Array.from({ length: count }, () => LOREM[Math.floor(Math.random() * LOREM.length)] as string);
    let text = words.join(' ');
    text = `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
    paragraphs.push(html ? `<p>${text}</p>` : text);
  }
  return paragraphs.join(html ? '\n' : '\n\n');
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
    // dict() and namespace() keep what they are given as it is (a float stays 7.0, as in Python).
    dict: takingTemplateValues((...args: unknown[]) => {
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
    }),
    namespace: takingTemplateValues((...args: unknown[]) => {
      const [pos, kw] = splitKw(args);
      return new Namespace({ ...((pos[0] as object | undefined) ?? {}), ...kw });
    }),
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
    lipsum,
    // Its value as the template has it: `return(1.0)` stays a float, `return(d['x'])` an Undefined that says what is missing.
    return: takingTemplateValues((value?: unknown) => {
      throw new MacroReturn(isKeywordArgs(value) ? undefined : value);
    }),
  };
}
