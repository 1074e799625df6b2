// A zone's rules as the platform's time-zone database (Intl / ICU) gives them: UTC offsets,
// standard offsets and abbreviations (`CET`, `EDT`, `+03`) at an instant.

/** Locales tried, in order, for a zone abbreviation (ICU only has them for some regions). */
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-NZ', 'en-IN', 'en-ZA', 'en-IE', 'en-HK', 'ja-JP'];

/** Abbreviations (by UTC offset in seconds) where the tz database and ICU's names differ; null = numeric. */
const ABBREVIATIONS: Record<string, Record<number, string | null>> = {};
function abbreviations(zones: string[], table: Record<number, string | null>): void {
  for (const z of zones) ABBREVIATIONS[z] = table;
}
abbreviations(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC', 'Asia/Taipei', 'ROC', 'Asia/Macau', 'Asia/Macao'], { 28800: 'CST' });
abbreviations(['Asia/Seoul', 'ROK', 'Asia/Pyongyang'], { 32400: 'KST' });
abbreviations(['Asia/Karachi'], { 18000: 'PKT' });
abbreviations(['Asia/Manila'], { 28800: 'PST' });
abbreviations(['Asia/Jakarta', 'Asia/Pontianak'], { 25200: 'WIB' });
abbreviations(['Asia/Makassar', 'Asia/Ujung_Pandang'], { 28800: 'WITA' });
abbreviations(['Asia/Jayapura'], { 32400: 'WIT' });
abbreviations(['Asia/Jerusalem', 'Asia/Tel_Aviv', 'Israel'], { 7200: 'IST', 10800: 'IDT' });
abbreviations(['Europe/Moscow', 'Europe/Kirov', 'Europe/Simferopol', 'Europe/Volgograd', 'W-SU'], { 10800: 'MSK' });
abbreviations(['America/St_Johns', 'Canada/Newfoundland'], { [-12600]: 'NST', [-9000]: 'NDT' });
abbreviations(['America/Havana', 'Cuba'], { [-18000]: 'CST', [-14400]: 'CDT' });
abbreviations(['America/Adak', 'America/Atka', 'US/Aleutian'], { [-36000]: 'HST', [-32400]: 'HDT' });
abbreviations(['America/Dawson', 'America/Whitehorse', 'America/Hermosillo', 'America/Mazatlan', 'Canada/Yukon', 'Mexico/BajaSur'], { [-25200]: 'MST' });
abbreviations(['Pacific/Guam', 'Pacific/Saipan'], { 36000: 'ChST' });
abbreviations(['Pacific/Midway', 'Pacific/Pago_Pago', 'Pacific/Samoa', 'US/Samoa'], { [-39600]: 'SST' });
abbreviations(['Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/Jersey', 'GB', 'GB-Eire'], { 0: 'GMT', 3600: 'BST' });
abbreviations(['GMT', 'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'GMT0', 'GMT+0', 'GMT-0', 'Greenwich', 'Etc/Greenwich'], { 0: 'GMT' });
abbreviations(['Asia/Dubai', 'Asia/Muscat', 'Asia/Colombo', 'Antarctica/Casey', 'Antarctica/Troll', 'Australia/Eucla', 'Australia/Lord_Howe', 'Australia/LHI', 'Pacific/Chatham', 'NZ-CHAT'], {});
const NUMERIC_ONLY = new Set(['Asia/Dubai', 'Asia/Muscat', 'Asia/Colombo', 'Antarctica/Casey', 'Antarctica/Troll', 'Australia/Eucla', 'Australia/Lord_Howe', 'Australia/LHI', 'Pacific/Chatham', 'NZ-CHAT']);

/** `+03`, `-0330`: the tz database's name for zones without an abbreviation. */
function numericName(offsetSec: number): string {
  const sign = offsetSec < 0 ? '-' : '+';
  const abs = Math.abs(offsetSec);
  const hh = Math.floor(abs / 3600);
  const mm = Math.floor((abs % 3600) / 60);
  return `${sign}${String(hh).padStart(2, '0')}${mm ? String(mm).padStart(2, '0') : ''}`;
}

/** Offsets and names of one IANA zone, read from Intl. */
export class ZoneRules {
  private readonly parts: Intl.DateTimeFormat;
  private readonly names = new Map<string, Intl.DateTimeFormat>();
  private readonly offsetCache = new Map<number, number>();

  constructor(readonly id: string) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone: id, hourCycle: 'h23', era: 'short',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }

  /** UTC offset in seconds at an instant (milliseconds since 1970). */
  offsetAt(ms: number): number {
    const sec = Math.floor(ms / 1000);
    const cached = this.offsetCache.get(sec);
    if (cached !== undefined) return cached;
    const p: Record<string, string> = {};
    for (const part of this.parts.formatToParts(sec * 1000)) p[part.type] = part.value;
    let year = Number(p.year);
    if (p.era === 'BC' || p.era === 'B') year = 1 - year;
    const t = new Date(0);
    t.setUTCFullYear(year, Number(p.month) - 1, Number(p.day));
    t.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second));
    const offset = Math.round((t.getTime() - sec * 1000) / 1000);
    if (this.offsetCache.size > 4096) this.offsetCache.clear();
    this.offsetCache.set(sec, offset);
    return offset;
  }

  /** Standard (non-DST) offset around an instant: the smaller of January's and July's. */
  standardOffsetAt(ms: number): number {
    const year = new Date(ms).getUTCFullYear();
    const jan = new Date(0);
    jan.setUTCFullYear(year, 0, 1);
    const jul = new Date(0);
    jul.setUTCFullYear(year, 6, 1);
    return Math.min(this.offsetAt(jan.getTime()), this.offsetAt(jul.getTime()));
  }

  /** The zone's abbreviation at an instant (`CET`, `EDT`, `+03`). */
  abbreviationAt(ms: number, offsetSec: number): string {
    const table = ABBREVIATIONS[this.id];
    if (table && table[offsetSec] !== undefined) return table[offsetSec] ?? numericName(offsetSec);
    if (NUMERIC_ONLY.has(this.id)) return numericName(offsetSec);
    for (const locale of ABBREVIATION_LOCALES) {
      let fmt = this.names.get(locale);
      if (!fmt) {
        fmt = new Intl.DateTimeFormat(locale, { timeZone: this.id, timeZoneName: 'short' });
        this.names.set(locale, fmt);
      }
      const name = fmt.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
      if (!/^[A-Z][A-Za-z]{1,5}$/.test(name)) continue;
      if ((name === 'GMT' || name === 'UTC') && offsetSec !== 0) continue;
      return name;
    }
    return numericName(offsetSec);
  }
}
