// dbt's string enums (dbt_common.dataclass_schema.StrEnum, `class StrEnum(str, Enum)` whose
// `__str__` is its value): a result's `status` (RunStatus, TestStatus, FreshnessStatus), a node's
// `resource_type` (NodeType), a relation's `type` (RelationType). Each member is a `str`, so a
// template compares, concatenates, filters, prints and serializes it as its value, and it also
// has the enum's `.value` (the plain string) and `.name` (`Success`). The engine's operators
// reach a member through Python's protocol (`__eq__`, `__lt__`, `__hash__`, `__bool__`, ...), its
// filters and tests and JavaScript callees get its value (environment.ts, values.ts `toJs`).

/** The `str` a member is, for a value that may be one (anything else is returned as it is). */
function plain(v: unknown): unknown {
  return v instanceof PyStrEnum ? v.value : v;
}

/** One member of a string enum; each enum is a subclass named as dbt's (`RunStatus`). */
export class PyStrEnum {
  constructor(
    /** The member's value, as `.value` gives it: a plain string. */
    readonly value: string,
    /** The member's name, as `.name` gives it (`Success`, `PartialSuccess`). */
    readonly name: string,
  ) {}

  /** Python's `str()` (dbt's `__str__`), what `{{ }}`, `~` and `%s` print. */
  toString(): string {
    return this.value;
  }

  valueOf(): string {
    return this.value;
  }

  /** `json.dumps` writes a `str` subclass as its text. */
  toJSON(): string {
    return this.value;
  }

  /** Enum's repr: `<RunStatus.Success: 'success'>`. */
  __repr__(): string {
    // dbt's values have no quote or backslash to escape (py-repr.ts imports this module).
    return `<${this.constructor.name}.${this.name}: '${this.value}'>`;
  }

  /** A dict key: the hash of its string. */
  __hash__(): string {
    return this.value;
  }

  __bool__(): boolean {
    return this.value.length > 0;
  }

  __eq__(other: unknown): boolean | undefined {
    const o = plain(other);
    return typeof o === 'string' ? o === this.value : undefined;
  }

  __lt__(other: unknown): boolean | undefined {
    const o = plain(other);
    return typeof o === 'string' ? this.value < o : undefined;
  }

  __gt__(other: unknown): boolean | undefined {
    const o = plain(other);
    return typeof o === 'string' ? this.value > o : undefined;
  }

  __contains__(item: unknown): boolean {
    const i = plain(item);
    return typeof i === 'string' && this.value.includes(i);
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.value[Symbol.iterator]();
  }
}

/** `v`'s string when it is an enum member, else `v` (for code that handles `str`s by `typeof`). */
export function strOf(v: unknown): unknown {
  return v instanceof PyStrEnum ? v.value : v;
}

/** A string enum: its members by name, and `of(value)`, the member of a value (undefined for a value the enum lacks). */
export interface StrEnumType<K extends string = string> {
  readonly members: Readonly<Record<K, PyStrEnum>>;
  of(value: string): PyStrEnum | undefined;
}

/** Defines a string enum `enumName` from its members as dbt writes them (`{ Success: 'success' }`). */
export function defineStrEnum<K extends string>(enumName: string, members: Record<K, string>): StrEnumType<K> {
  const named = { [enumName]: class extends PyStrEnum {} };
  const Member = named[enumName] as typeof PyStrEnum;
  const byName = {} as Record<K, PyStrEnum>;
  const byValue = new Map<string, PyStrEnum>();
  for (const name of Object.keys(members) as K[]) {
    const member = Object.freeze(new Member(members[name], name));
    byName[name] = member;
    if (!byValue.has(member.value)) byValue.set(member.value, member);
  }
  return { members: Object.freeze(byName), of: (value) => byValue.get(value) };
}
