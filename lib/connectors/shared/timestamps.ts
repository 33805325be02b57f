// Timestamps as bills write them, to ISO 8601 UTC text for timestamptz:
//   2024-09-01 00:00:00          (FOCUS sample: no zone → UTC, as FOCUS specifies)
//   2024-09-01T00:00:00Z, 2024-09-01T00:00:00.000+02:00, 2024-09-01T00:00:00-0700
//   2024-09-01 00:00:00 UTC      (BigQuery CSV exports)
//   2024-09-01                   (a date: midnight UTC)
//   09/15/2024, 9/15/2024 3:00 PM (Azure cost exports: month/day/year)
// Anything else, or an impossible date (2024-02-30), is rejected.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i;

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMinutes: number): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return undefined;
  if (h === 24 && (mi !== 0 || s !== 0 || ms !== 0)) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s === 60 ? 59 : s, ms);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return new Date(t - offsetMinutes * 60_000).toISOString();
}

function parseOffset(zone: string | undefined): number | undefined {
  if (!zone) return 0;
  const z = zone.toUpperCase();
  if (z === "Z" || z === "UTC" || z === "GMT") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 18 * 60) return undefined;
  return m[1] === "-" ? -minutes : minutes;
}

function parseUncached(raw: string): string | undefined {
  const s = raw.trim();
  let m = ISO.exec(s);
  if (m) {
    const offset = parseOffset(m[8]);
    if (offset === undefined) return undefined;
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
    return build(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms, offset);
  }
  m = US.exec(s);
  if (m) {
    let h = Number(m[4] ?? 0);
    const ampm = m[7]?.toUpperCase();
    if (ampm) {
      if (h < 1 || h > 12) return undefined;
      h = (h % 12) + (ampm === "PM" ? 12 : 0);
    }
    return build(Number(m[3]), Number(m[1]), Number(m[2]), h, Number(m[5] ?? 0), Number(m[6] ?? 0), 0, 0);
  }
  return undefined;
}

/**
 * A copy of `s` that does not share memory with the string it was sliced from. Cache keys cut from a
 * 1 MiB chunk of the file would otherwise keep the whole chunk alive as long as the cache holds them.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8");
}

// Bills repeat the same few timestamps (billing periods, hourly charge periods) on thousands of rows.
const cache = new Map<string, string | undefined>();
const CACHE_LIMIT = 20_000;
const RECENT = 4;
const recentRaw: string[] = new Array<string>(RECENT).fill("\u0000");
const recentOut: Array<string | undefined> = new Array<string | undefined>(RECENT).fill(undefined);
let recentNext = 0;

/** ISO 8601 UTC text (2024-09-01T00:00:00.000Z), or undefined when `raw` is not a timestamp. */
export function parseTimestamp(raw: string): string | undefined {
  // The last few values first: a row's billing and charge periods are mostly those of the row before,
  // and comparing a string is cheaper than hashing it for the map.
  for (let i = 0; i < RECENT; i++) if (recentRaw[i] === raw) return recentOut[i];
  let out = cache.get(raw);
  if (out === undefined && !cache.has(raw)) {
    out = parseUncached(raw);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(detach(raw), out);
  }
  recentRaw[recentNext] = raw; // not detached: holds a few chunks of text at most
  recentOut[recentNext] = out;
  recentNext = (recentNext + 1) % RECENT;
  return out;
}

/** First instant of the month containing `iso`, and of the next month (UTC). */
export function monthOf(iso: string): { start: string; end: string } {
  const d = new Date(iso);
  return {
    start: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString(),
    end: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString(),
  };
}

/** iso + days, as ISO text. */
export function addDays(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 86_400_000).toISOString();
}
