// Pure helpers for the [from, to) windows of whole UTC hours that rollup jobs work on.
// Kept free of BullMQ and Prisma so producers, the worker and tests share one definition.

export const HOUR_MS = 3_600_000;

export type HourWindow = { from: Date; to: Date };

export function floorToHour(d: Date): Date {
  return new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
}

export function ceilToHour(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / HOUR_MS) * HOUR_MS);
}

export function isWholeHour(d: Date): boolean {
  return Number.isFinite(d.getTime()) && d.getTime() % HOUR_MS === 0;
}

/** The smallest window of whole UTC hours that contains [from, to). Throws on an empty or invalid range. */
export function toHourWindow(from: Date, to: Date): HourWindow {
  if (!Number.isFinite(from.getTime()) || !Number.isFinite(to.getTime())) throw new Error("Invalid date in window");
  if (to.getTime() <= from.getTime()) {
    throw new Error(`Empty window: from ${from.toISOString()} is not before to ${to.toISOString()}`);
  }
  return { from: floorToHour(from), to: ceilToHour(to) };
}

export function windowHours({ from, to }: HourWindow): number {
  return (to.getTime() - from.getTime()) / HOUR_MS;
}

/**
 * Splits a window of whole hours into chunks at UTC day boundaries, at most `maxHours` long each.
 * Chunks are aligned to the day (not to `from`), so two overlapping requests produce the same chunk
 * for every day they both fully cover, and therefore the same deterministic job id.
 */
export function splitHourWindow(window: HourWindow, maxHours = 24): HourWindow[] {
  if (!isWholeHour(window.from) || !isWholeHour(window.to)) throw new Error("Window must start and end on whole UTC hours");
  if (!Number.isInteger(maxHours) || maxHours < 1 || 24 % maxHours !== 0) {
    throw new Error("maxHours must be a whole divisor of 24 so chunks stay aligned to the day");
  }
  const chunkMs = maxHours * HOUR_MS;
  const out: HourWindow[] = [];
  let start = window.from.getTime();
  const end = window.to.getTime();
  while (start < end) {
    const boundary = (Math.floor(start / chunkMs) + 1) * chunkMs;
    const stop = Math.min(boundary, end);
    out.push({ from: new Date(start), to: new Date(stop) });
    start = stop;
  }
  return out;
}

/** The last `hours` complete UTC hours before `now`: [floor(now) - hours, floor(now)). */
export function lastCompleteHours(now: Date, hours: number): HourWindow {
  const to = floorToHour(now);
  return { from: new Date(to.getTime() - hours * HOUR_MS), to };
}

/** 2026-01-15T10:00:00.000Z → 20260115T1000Z: no ':' (BullMQ ids) and no '-' (our id separator). */
export function compactUtc(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}
