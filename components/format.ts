// Display formatting shared by the UI and the e2e tests (which format a SQL sum the same way).
// Amounts arrive as exact decimal strings; Intl.NumberFormat formats strings exactly (no float rounding).
type Decimal = `${number}`;

export function formatMoney(amount: string, currency: string, locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount as Decimal);
}

export function formatCompactMoney(amount: number, currency: string, locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(amount);
}

export function formatPercent(fraction: number, locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(fraction);
}

export function formatDate(value: string | Date | null | undefined, locale = "en-US"): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(value));
}

/** "Nov 1, 2026 – Nov 29, 2026 (UTC)" for [from, to): the last shown instant is to − 1 ms. */
export function formatWindow(from: Date, to: Date, locale = "en-US"): string {
  const hourly = (to.getTime() - from.getTime()) % 86_400_000 !== 0 || from.getUTCHours() !== 0;
  const fmt = new Intl.DateTimeFormat(locale, hourly ? { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" } : { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  const last = hourly ? to : new Date(to.getTime() - 1);
  return `${fmt.format(from)} – ${fmt.format(last)} (UTC)`;
}

export function formatNumber(value: number | null | undefined, digits = 1, locale = "en-US"): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** Money or a dash; null currency means nothing was priced. */
export function formatMaybeMoney(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || !currency) return "—";
  return formatMoney(amount, currency);
}

export function formatMaybePercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined ? "—" : formatPercent(fraction);
}
