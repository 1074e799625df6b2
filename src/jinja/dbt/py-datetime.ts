// Python's `datetime` module for templates: `date`, `time`, `datetime`, `timedelta`,
// `timezone` and the tzinfo protocol that pytz zones (py-pytz-zones.ts) plug into. Where Python
// would use the machine's local zone (naive `now()`, `fromtimestamp()`, `astimezone()`),
// UTC is used. Arithmetic and comparisons are Python's data-model methods (`__add__`,
// `__sub__`, `__lt__`, `__eq__`...; `undefined` means NotImplemented) so the engine's
// operators can dispatch to them; `plus()`/`minus()` remain for TypeScript callers.
//
// The parts live next to this file (py-datetime-*.ts); this one re-exports what other files use.
// Each file imports only ones listed before it (no cycles): args, calendar, format, timedelta,
// tzinfo, date, time, datetime, parse, module; tzinfo and timedelta learn of datetime and date
// by registration instead.
export { pyArgs, splitArgs } from './py-datetime-args.js';
export { PyDate } from './py-datetime-date.js';
export { PyDatetime } from './py-datetime-datetime.js';
export { datetimeModule } from './py-datetime-module.js';
export { PyTime } from './py-datetime-time.js';
export { PyTimedelta, timedelta, type TimedeltaParts } from './py-datetime-timedelta.js';
export { PyTimezone, PyTzinfo, type TzInfoResult } from './py-datetime-tzinfo.js';
