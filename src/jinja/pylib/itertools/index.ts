// Python's `itertools` for templates (`modules.itertools`), and the lazy-aware `zip` dbt's
// context builds on.
export { itertoolsModule, zip } from './itertools.js';
