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
