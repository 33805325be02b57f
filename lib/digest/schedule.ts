// When a weekly digest is due: at the subscription's day and hour in the user's time zone. The hourly
// fan-out asks, for each subscription, for the most recent slot at or before now; a slot less than a
// day old is due (so a worker that was down at the hour catches up), and the digest is keyed by the ISO
// week of the slot's local date, which the send claims once in the database. Pure.
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const HOUR_MS = 3_600_000;

export type LocalTime = { year: number; month: number; day: number; hour: number; weekday: number };

export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    weekday: "short",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return { year: Number(get("year")), month: Number(get("month")), day: Number(get("day")), hour: Number(get("hour")) % 24, weekday: WEEKDAYS.indexOf(get("weekday")) };
}

/** ISO 8601 week of a calendar date: 2026-W48. */
export function isoWeek({ year, month, day }: { year: number; month: number; day: number }): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow);
  const weekYear = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, "0")}`;
}

export type DigestSlot = { slot: Date; week: string };

/** The latest (dayOfWeek, hour) slot in `timeZone` at or before `now`, looking back one week. */
export function latestSlot({ dayOfWeek, hour, timeZone, now }: { dayOfWeek: number; hour: number; timeZone: string; now: Date }): DigestSlot | null {
  const start = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  for (let k = 0; k <= 7 * 24 + 1; k++) {
    const t = new Date(start - k * HOUR_MS);
    const l = localTime(t, timeZone);
    if (l.weekday === dayOfWeek && l.hour === hour) return { slot: t, week: isoWeek(l) };
  }
  return null;
}

/** The slot to send now, if any: the latest one, when it is less than `graceHours` old. */
export function dueSlot(sub: { dayOfWeek: number; hour: number; timezone: string }, now: Date, graceHours = 24): DigestSlot | null {
  const s = latestSlot({ dayOfWeek: sub.dayOfWeek, hour: sub.hour, timeZone: sub.timezone, now });
  if (!s) return null;
  return now.getTime() - s.slot.getTime() < graceHours * HOUR_MS ? s : null;
}
