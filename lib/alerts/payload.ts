// The JSON an alert event carries: everything a channel needs to render its message, computed at
// evaluation time so a retry days later says what was true when the alert fired.
export type AlertFigure = { label: string; value: string };
export type AlertMover = { dimension: string; key: string; text: string };

export type AlertPayload = {
  summary: string;
  scopeLabel: string;
  scope: { kind: string; value: string | null };
  figures: AlertFigure[];
  movers?: AlertMover[];
  /** Path in the app (starts with /<org slug>/), joined to APP_URL for links. */
  path: string;
  linkText?: string;
  resolved?: boolean;
  /** Lower thresholds crossed in the same evaluation as a higher one: recorded, not messaged. */
  superseded?: boolean;
  /** Machine-readable figures for tests and the history page. */
  data?: Record<string, string | number | null>;
};

export function formatMoney(amount: string | number, currency: string): string {
  const n = typeof amount === "number" ? amount : Number(amount);
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}
