// The dashboard's shared view state, kept in the URL so a view can be shared and bookmarked:
//   window=24h|7d|30d|90d|mtd|custom (custom: from=YYYY-MM-DD&to=YYYY-MM-DD, both days inclusive)
//   basis=effective|billed, groupBy=<dimension>, and one filter per dimension (comma-separated values).
// Client-safe: pure functions of the query string and the clock.
import { REPORT_DIMENSIONS, type CostBasis, type ReportDimension, type ReportFilters } from "./reports";

export const WINDOW_PRESETS = ["24h", "7d", "30d", "90d", "mtd", "custom"] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number];

export const WINDOW_LABELS: Record<WindowPreset, string> = {
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  mtd: "Month to date",
  custom: "Custom",
};

export const DIMENSION_LABELS: Record<ReportDimension, string> = {
  cluster: "Cluster",
  gpuModel: "GPU model",
  pricingCategory: "Pricing category",
  team: "Team",
  namespace: "Namespace",
};

export type DashboardView = {
  window: WindowPreset;
  /** Custom window days (YYYY-MM-DD, inclusive), only for window=custom. */
  customFrom: string | null;
  customTo: string | null;
  basis: CostBasis;
  groupBy: ReportDimension | null;
  filters: ReportFilters;
};

export type ResolvedWindow = {
  from: Date;
  to: Date;
  hours: number;
  /** The previous window of the same length, ending where this one starts. */
  previousFrom: Date;
  /** Whether the window ends in the future (today is still accruing). */
  partial: boolean;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

type Params = { get(name: string): string | null };

export function parseView(params: Params, defaults: Partial<DashboardView> = {}): DashboardView {
  const w = params.get("window");
  const window = (WINDOW_PRESETS as readonly string[]).includes(w ?? "") ? (w as WindowPreset) : (defaults.window ?? "30d");
  const customFrom = params.get("from");
  const customTo = params.get("to");
  const g = params.get("groupBy");
  const filters: ReportFilters = {};
  for (const d of REPORT_DIMENSIONS) {
    const values = (params.get(d) ?? "").split(",").map((v) => v.trim()).filter(Boolean);
    if (values.length) filters[d] = values;
  }
  const validCustom = window === "custom" && DAY_RE.test(customFrom ?? "") && DAY_RE.test(customTo ?? "") && customFrom! <= customTo!;
  return {
    window: window === "custom" && !validCustom ? "30d" : window,
    customFrom: validCustom ? customFrom : null,
    customTo: validCustom ? customTo : null,
    basis: params.get("basis") === "billed" ? "billed" : "effective",
    groupBy: (REPORT_DIMENSIONS as readonly string[]).includes(g ?? "") ? (g as ReportDimension) : (defaults.groupBy ?? null),
    filters,
  };
}

/** The view as URL search params (defaults left out so URLs stay short). */
export function viewToSearch(view: DashboardView): URLSearchParams {
  const p = new URLSearchParams();
  if (view.window !== "30d") p.set("window", view.window);
  if (view.window === "custom" && view.customFrom && view.customTo) {
    p.set("from", view.customFrom);
    p.set("to", view.customTo);
  }
  if (view.basis !== "effective") p.set("basis", view.basis);
  if (view.groupBy) p.set("groupBy", view.groupBy);
  for (const d of REPORT_DIMENSIONS) if (view.filters[d]?.length) p.set(d, view.filters[d]!.join(","));
  return p;
}

/**
 * [from, to) in whole UTC hours. 24h: the 24 hours ending at the next whole hour. 7d/30d/90d: that many
 * UTC days ending with today (today is partial), like the Overview's "last 30 days". mtd: the 1st of
 * this month to tomorrow 00:00. custom: the first day 00:00 to the day after the last day.
 */
export function resolveWindow(view: Pick<DashboardView, "window" | "customFrom" | "customTo">, now: Date = new Date()): ResolvedWindow {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const tomorrow = today + DAY;
  let from: number;
  let to: number;
  switch (view.window) {
    case "24h":
      to = Math.ceil((now.getTime() + 1) / HOUR) * HOUR;
      from = to - 24 * HOUR;
      break;
    case "7d":
    case "30d":
    case "90d":
      to = tomorrow;
      from = tomorrow - Number(view.window.slice(0, -1)) * DAY;
      break;
    case "mtd":
      to = tomorrow;
      from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
      break;
    case "custom":
      from = Date.parse(`${view.customFrom}T00:00:00Z`);
      to = Date.parse(`${view.customTo}T00:00:00Z`) + DAY;
      break;
  }
  return { from: new Date(from), to: new Date(to), hours: (to - from) / HOUR, previousFrom: new Date(2 * from - to), partial: to > now.getTime() };
}

/** Report query params for a window, basis and filters (the API's names). */
export function reportParams(
  { from, to }: { from: Date; to: Date },
  view: Pick<DashboardView, "basis" | "filters">,
  { dimensions = REPORT_DIMENSIONS }: { dimensions?: readonly ReportDimension[] } = {},
): URLSearchParams {
  const p = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), costBasis: view.basis });
  for (const d of dimensions) if (view.filters[d]?.length) p.set(d, view.filters[d]!.join(","));
  return p;
}

/** Heatmap columns: hours up to 31 days, days beyond (a 90-day window has 90 columns). */
export function heatmapBucket(hours: number): "hour" | "day" {
  return hours <= 31 * 24 ? "hour" : "day";
}
