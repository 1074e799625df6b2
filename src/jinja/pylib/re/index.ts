// Python's `re` module for templates (`modules.re`): the module object (module.ts) and the
// classes templates meet, re.Pattern and re.Match. Pattern, match and replacement template
// (pattern.ts, match.ts, template.ts) refer to one another, so they stay one module behind this entry.
export { FLAGS } from './common.js';
export { PyMatch } from './match.js';
export { reModule } from './module.js';
export { PyPattern } from './pattern.js';
