// PromQL text for the connector: selectors with the connector's label filters, safely quoted.
import { z } from "zod";

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const labelFilterSchema = z.object({
  label: z.string().regex(LABEL_NAME, "not a Prometheus label name"),
  op: z.enum(["=", "!=", "=~", "!~"]),
  value: z.string(),
});
export type LabelFilter = z.infer<typeof labelFilterSchema>;

/** "cluster=prod", "namespace!=kube-system", "node=~gpu-.*", "pod!~test-.*" → a filter. */
export function parseLabelFilter(text: string): LabelFilter {
  const m = text.trim().match(/^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*)$/);
  if (!m) throw new Error(`Label filter "${text}" must look like label=value, label!=value, label=~regex or label!~regex`);
  const value = m[3]!.replace(/^"(.*)"$/, "$1");
  if (m[2] === "=~" || m[2] === "!~") {
    try {
      new RegExp(value);
    } catch {
      throw new Error(`Label filter "${text}": "${value}" is not a valid regular expression`);
    }
  }
  return { label: m[1]!, op: m[2] as LabelFilter["op"], value };
}

/** A PromQL string literal (double-quoted, with \, " and newlines escaped). */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function matchers(filters: LabelFilter[]): string[] {
  return filters.map((f) => {
    if (!LABEL_NAME.test(f.label)) throw new Error(`Not a Prometheus label name: ${f.label}`);
    return `${f.label}${f.op}${quote(f.value)}`;
  });
}

/** metric{filters} */
export function selector(metric: string, filters: LabelFilter[]): string {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric)) throw new Error(`Not a Prometheus metric name: ${metric}`);
  const m = matchers(filters);
  return m.length ? `${metric}{${m.join(",")}}` : metric;
}

/** {__name__=~"a|b|c", filters}: several metrics in one query, names kept in the answer. */
export function multiMetricSelector(metrics: string[], filters: LabelFilter[]): string {
  const names = metrics.map(escapeRegex).join("|");
  return `{${[`__name__=~${quote(names)}`, ...matchers(filters)].join(",")}}`;
}

/**
 * The range selector that covers exactly one UTC hour when evaluated at the hour's last millisecond
 * (end − 1 ms): Prometheus 2 includes both ends of a range ([t − r, t]), so r = 1 h − 1 ms; Prometheus 3
 * excludes the start ((t − r, t]), so r = 1 h. Either way the hour [h, h + 1 h) of millisecond samples.
 */
export function hourRange(prometheusMajorVersion: number | null): string {
  return prometheusMajorVersion !== null && prometheusMajorVersion >= 3 ? "1h" : "3599999ms";
}
