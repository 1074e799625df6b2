// Python's `datetime` module for templates: `date`, `time`, `datetime`, `timedelta`,
// `timezone` and the tzinfo protocol that pytz zones (pytz/zones.ts) plug into. Where Python
// would use the machine's local zone (naive `now()`, `fromtimestamp()`, `astimezone()`),
// UTC is used. Arithmetic and comparisons are Python's data-model methods (`__add__`,
// `__sub__`, `__lt__`, `__eq__`...; `undefined` means NotImplemented) so the engine's
// operators can dispatch to them; `plus()`/`minus()` remain for TypeScript callers.
//
// The parts live next to this file; this one, the module's entry, re-exports what other files use.
// Each file imports only ones listed before it: calendar, format, ordered, timedelta, tzinfo, date,
// time, datetime, parse, module (and the pylib args module); tzinfo and timedelta learn of datetime
// and date by registration instead, tzinfo naming datetime's type only.
export { PyDate } from './date.js';
export { PyDatetime } from './datetime.js';
export { datetimeModule, lazyMembers } from './module.js';
export { PyTime } from './time.js';
export { PyTimedelta, timedelta, type TimedeltaParts } from './timedelta.js';
export { PyTimezone, PyTzinfo, type TzInfoResult } from './tzinfo.js';
