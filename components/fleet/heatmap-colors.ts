// Heatmap colours, chosen for colour-blind readers: utilization is one blue ramp (light → dark, read by
// lightness alone), idle is Okabe-Ito vermillion (a hue no blue shade has, and darker than the light
// blues, so it stands out in greyscale too), a telemetry gap is a grey hatch (a texture, not a colour),
// and "no GPU-hour" is the page's background. Every swatch has a text label in the legend.
import { CELL_GAP, CELL_NONE } from "@/lib/domain/fleet";

export const IDLE_COLOR = "#d55e00";
export const GAP_COLOR = "#9ca3af";
export const NONE_COLOR = "#f3f4f6";
// Blues (ColorBrewer "Blues", 7 classes from 5 % upward).
export const UTIL_RAMP = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"] as const;

/** Colour of a non-idle utilization cell (value in 1/10,000). */
export function utilColor(value: number): string {
  const i = Math.min(UTIL_RAMP.length - 1, Math.floor((value / 10000) * UTIL_RAMP.length));
  return UTIL_RAMP[Math.max(0, i)]!;
}

export type CellKind = "none" | "gap" | "idle" | "busy";

export function cellKind(value: number, idleThreshold: number): CellKind {
  if (value === CELL_NONE) return "none";
  if (value === CELL_GAP) return "gap";
  return value < idleThreshold * 10000 ? "idle" : "busy";
}

/** Ramp bands for the legend: [label, colour]. */
export function rampLegend(): Array<[string, string]> {
  return UTIL_RAMP.map((c, i) => {
    const lo = Math.round((i / UTIL_RAMP.length) * 100);
    const hi = Math.round(((i + 1) / UTIL_RAMP.length) * 100);
    return [`${lo}–${hi} %`, c];
  });
}

export function decodeCells(base64: string): Int16Array {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Int16Array(bytes.buffer);
}
