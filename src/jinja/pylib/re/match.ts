// The Python match object (`re.Match`): groups, spans in code points, `expand`, item access.
import { strRepr } from '../../engine/py-repr.js';
import { tuple } from '../../engine/values.js';
import { pyArgs } from '../args/index.js';
import { cpIndex, type Exec, type PatternGroups, reError, strArg } from './common.js';
import { expandTemplate, parseTemplate } from './template.js';

/** A Python match object. */
export class PyMatch {
  static {
    Object.defineProperty(this, 'name', { value: 're.Match' });
  }
  [key: string]: unknown;
  readonly #m: Exec;
  readonly #re: PatternGroups;
  readonly #string: string;
  readonly #pos: number;
  readonly #endpos: number;

  constructor(m: Exec, re: PatternGroups, string: string, pos: number, endpos: number) {
    this.#m = m;
    this.#re = re;
    this.#string = string;
    this.#pos = pos;
    this.#endpos = endpos;
    // m[0], m[1], m['name'] item access.
    for (let g = 0; g <= re.groups; g++) this[String(g)] = m[g] ?? null;
    for (const [name, g] of Object.entries(re.groupindex)) {
      if (!(name in PyMatch.prototype)) this[name] = m[g] ?? null;
    }
  }

  #index(g: unknown): number {
    if (typeof g === 'number' && Number.isInteger(g) && g >= 0 && g <= this.#re.groups) return g;
    if (typeof g === 'string' && this.#re.groupindex[g] !== undefined) return this.#re.groupindex[g];
    return reError('no such group');
  }

  get string(): string {
    return this.#string;
  }
  get re(): PatternGroups {
    return this.#re;
  }
  get pos(): number {
    return this.#pos;
  }
  get endpos(): number {
    return this.#endpos;
  }
  get lastindex(): number | null {
    let best: number | null = null;
    let bestEnd = -1;
    for (let g = 1; g <= this.#re.groups; g++) {
      const span = this.#m.indices?.[g];
      if (span && span[1] > bestEnd) {
        best = g;
        bestEnd = span[1];
      }
    }
    return best;
  }
  get lastgroup(): string | null {
    const last = this.lastindex;
    if (last === null) return null;
    return Object.entries(this.#re.groupindex).find(([, g]) => g === last)?.[0] ?? null;
  }

  group(...groups: unknown[]): unknown {
    if (groups.length === 0) return this.#m[0];
    if (groups.length === 1) return this.#m[this.#index(groups[0])] ?? null;
    return tuple(groups.map((g) => this.#m[this.#index(g)] ?? null));
  }
  groups(...args: unknown[]): unknown[] {
    const dflt = pyArgs('groups', args, ['default']).default ?? null;
    return tuple(Array.from({ length: this.#re.groups }, (_v, i) => this.#m[i + 1] ?? dflt));
  }
  groupdict(...args: unknown[]): Record<string, unknown> {
    const dflt = pyArgs('groupdict', args, ['default']).default ?? null;
    const out: Record<string, unknown> = {};
    for (const [name, g] of Object.entries(this.#re.groupindex)) out[name] = this.#m[g] ?? dflt;
    return out;
  }
  start(g: unknown = 0): number {
    const span = this.#m.indices?.[this.#index(g)];
    return span ? cpIndex(this.#string, span[0]) : -1;
  }
  end(g: unknown = 0): number {
    const span = this.#m.indices?.[this.#index(g)];
    return span ? cpIndex(this.#string, span[1]) : -1;
  }
  span(g: unknown = 0): unknown[] {
    return tuple([this.start(g), this.end(g)]);
  }
  expand(template: unknown): string {
    return expandTemplate(parseTemplate(strArg(template, 'str'), this.#re), this.#m);
  }
  __getitem__(g: unknown): unknown {
    return this.#m[this.#index(g)] ?? null;
  }
  __repr__(): string {
    return `<re.Match object; span=(${this.start()}, ${this.end()}), match=${strRepr(this.#m[0])}>`;
  }
  toString(): string {
    return this.__repr__();
  }
}
