// Zone names pytz knows, on Intl's list: `all_timezones`, `common_timezones`, and the spelling a
// name given in any case resolves to.

/** Names pytz knows that ICU lists under another (older or newer) spelling, or not at all. */
const EXTRA_NAMES = [
  'UTC', 'GMT', 'UCT', 'Universal', 'Zulu', 'Greenwich', 'GMT0', 'GMT+0', 'GMT-0',
  'Etc/UTC', 'Etc/UCT', 'Etc/Universal', 'Etc/Zulu', 'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'Etc/Greenwich',
  ...Array.from({ length: 12 }, (_v, i) => `Etc/GMT+${i + 1}`),
  ...Array.from({ length: 14 }, (_v, i) => `Etc/GMT-${i + 1}`),
  'EST', 'MST', 'HST', 'EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT', 'CET', 'EET', 'MET', 'WET',
  'US/Eastern', 'US/Central', 'US/Mountain', 'US/Pacific', 'US/Alaska', 'US/Hawaii', 'US/Arizona', 'US/Aleutian',
  'US/East-Indiana', 'US/Indiana-Starke', 'US/Michigan', 'US/Samoa',
  'Canada/Atlantic', 'Canada/Central', 'Canada/Eastern', 'Canada/Mountain', 'Canada/Newfoundland', 'Canada/Pacific',
  'Canada/Saskatchewan', 'Canada/Yukon', 'Mexico/BajaNorte', 'Mexico/BajaSur', 'Mexico/General',
  'Brazil/Acre', 'Brazil/DeNoronha', 'Brazil/East', 'Brazil/West', 'Chile/Continental', 'Chile/EasterIsland',
  'Australia/ACT', 'Australia/NSW', 'Australia/North', 'Australia/Queensland', 'Australia/South', 'Australia/Tasmania',
  'Australia/Victoria', 'Australia/West', 'Australia/Canberra', 'Australia/LHI', 'Australia/Yancowinna',
  'Asia/Kolkata', 'Asia/Calcutta', 'Asia/Ho_Chi_Minh', 'Asia/Saigon', 'Asia/Kathmandu', 'Asia/Katmandu', 'Asia/Yangon',
  'Asia/Rangoon', 'Asia/Dhaka', 'Asia/Dacca', 'Asia/Thimphu', 'Asia/Ulaanbaatar', 'Asia/Macau', 'Asia/Tel_Aviv',
  'Asia/Istanbul', 'Asia/Chongqing', 'Asia/Harbin', 'Asia/Ujung_Pandang', 'Europe/Kyiv', 'Europe/Kiev', 'Europe/Belfast',
  'Africa/Asmara', 'Africa/Asmera', 'Africa/Timbuktu', 'America/Argentina/Buenos_Aires', 'America/Buenos_Aires',
  'America/Indiana/Indianapolis', 'America/Indianapolis', 'America/Kentucky/Louisville', 'America/Louisville',
  'America/Nuuk', 'America/Godthab', 'America/Atka', 'America/Fort_Wayne', 'America/Knox_IN', 'America/Shiprock',
  'Atlantic/Faroe', 'Atlantic/Faeroe', 'Pacific/Pohnpei', 'Pacific/Ponape', 'Pacific/Chuuk', 'Pacific/Truk',
  'Pacific/Kanton', 'Pacific/Enderbury', 'Pacific/Samoa', 'Pacific/Yap',
  'GB', 'GB-Eire', 'NZ', 'NZ-CHAT', 'Japan', 'Singapore', 'Hongkong', 'Israel', 'Turkey', 'Egypt', 'Iran', 'Poland',
  'Portugal', 'PRC', 'ROC', 'ROK', 'Cuba', 'Jamaica', 'Navajo', 'Iceland', 'Libya', 'Eire', 'Kwajalein', 'W-SU',
];

/** Lower-case names `pytz.timezone()` answers with `pytz.utc`. */
export const UTC_NAMES = new Set(['utc', 'etc/utc', 'uct', 'etc/uct', 'universal', 'etc/universal', 'zulu', 'etc/zulu']);

function validZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

let allNames: string[] | undefined;
let byLowerName: Map<string, string> | undefined;

/** Every zone name (pytz's `all_timezones`), sorted. */
export function allTimezones(): string[] {
  if (!allNames) {
    const names = new Set<string>(Intl.supportedValuesOf('timeZone'));
    for (const n of EXTRA_NAMES) if (!names.has(n) && validZone(n)) names.add(n);
    allNames = [...names].sort();
    byLowerName = new Map(allNames.map((n) => [n.toLowerCase(), n]));
  }
  return allNames;
}

/** pytz's `common_timezones`: current Region/City names plus UTC and GMT (no legacy aliases). */
export function commonTimezones(): string[] {
  const legacy = /^(US|Canada|Mexico|Brazil|Chile|Etc)\/|^[^/]+$/;
  return allTimezones().filter((n) => !legacy.test(n) || n === 'UTC' || n === 'GMT' || n.startsWith('US/'));
}

/** The zone name `name` (any case) stands for; undefined when Intl does not know it. */
export function canonicalZoneName(name: string): string | undefined {
  allTimezones();
  return byLowerName?.get(name.toLowerCase()) ?? (validZone(name) && /^[A-Za-z]/.test(name) ? name : undefined);
}
