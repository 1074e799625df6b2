// pytz for templates (`modules.pytz`): the module object (module.ts) and its tzinfo classes
// (zones.ts), which plug into the datetime module's tzinfo protocol.
export { PYTZ_UTC, pytzModule, pytzTimezone } from './module.js';
export { PytzFixedOffset, PytzUtc, PytzZone } from './zones.js';
