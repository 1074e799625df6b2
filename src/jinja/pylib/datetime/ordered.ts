// Python's six rich comparisons (`__eq__`, `__lt__`, ...) from one three-way comparison, for the
// datetime module's value classes; `undefined` means NotImplemented (the other operand decides).

import { pythonValuesMade } from '../../engine/values.js';

export abstract class PyOrdered {
  constructor() {
    pythonValuesMade.count++;
  }

  /** -1, 0 or 1 against `other`, or undefined when it is not comparable; `ordering` is true for <, <=, >, >=. */
  protected abstract compareTo(other: unknown, ordering: boolean): number | undefined;

  __eq__(o: unknown): boolean {
    return this.compareTo(o, false) === 0;
  }
  __ne__(o: unknown): boolean {
    return this.compareTo(o, false) !== 0;
  }
  __lt__(o: unknown): boolean | undefined {
    const c = this.compareTo(o, true);
    return c === undefined ? undefined : c < 0;
  }
  __le__(o: unknown): boolean | undefined {
    const c = this.compareTo(o, true);
    return c === undefined ? undefined : c <= 0;
  }
  __gt__(o: unknown): boolean | undefined {
    const c = this.compareTo(o, true);
    return c === undefined ? undefined : c > 0;
  }
  __ge__(o: unknown): boolean | undefined {
    const c = this.compareTo(o, true);
    return c === undefined ? undefined : c >= 0;
  }
}
