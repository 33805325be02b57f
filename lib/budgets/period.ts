// Budget periods in UTC: calendar months and quarters. A period is [start, end) with whole UTC days.
export type BudgetPeriodKind = "MONTH" | "QUARTER";

export type PeriodWindow = {
  kind: BudgetPeriodKind;
  start: Date;
  /** Exclusive. */
  end: Date;
  /** Stable key used in alert dedup keys: 2026-11 or 2026-Q4. */
  key: string;
  /** Whole days in the period. */
  days: number;
};

export const DAY_MS = 86_400_000;

export function periodContaining(kind: BudgetPeriodKind, at: Date): PeriodWindow {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const startMonth = kind === "MONTH" ? m : Math.floor(m / 3) * 3;
  const months = kind === "MONTH" ? 1 : 3;
  const start = new Date(Date.UTC(y, startMonth, 1));
  const end = new Date(Date.UTC(y, startMonth + months, 1));
  const key = kind === "MONTH" ? `${y}-${String(m + 1).padStart(2, "0")}` : `${y}-Q${startMonth / 3 + 1}`;
  return { kind, start, end, key, days: Math.round((end.getTime() - start.getTime()) / DAY_MS) };
}

/** The period just before `p`. */
export function previousPeriod(p: PeriodWindow): PeriodWindow {
  return periodContaining(p.kind, new Date(p.start.getTime() - DAY_MS));
}

export function utcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
