// The digest as an email: a subject, a plain-text part and an HTML part built for mail clients
// (tables for layout, inline styles, no scripts, no external images or fonts, 600 px wide, dark text on
// white with contrast ≥ 4.5:1; increases in spend are marked with a sign and a word, not colour alone).
import { formatMoney } from "../alerts/payload";
import type { DigestContent } from "./content";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function pct(x: number | null, digits = 1): string {
  return x === null ? "n/a" : `${(x * 100).toFixed(digits)}%`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function changeText(c: DigestContent["spend"]): string {
  const m = formatMoney(c.change.replace("-", ""), c.currency);
  if (c.changePercent === null) return Number(c.thisWeek) > 0 ? "no spend the week before" : "no spend either week";
  if (Number(c.change) === 0) return "unchanged from the week before";
  const up = Number(c.change) > 0;
  return `${up ? "up" : "down"} ${m} (${up ? "+" : "−"}${Math.abs(c.changePercent).toFixed(1)}%) from ${formatMoney(c.lastWeek, c.currency)} the week before`;
}

export type RenderedDigest = { subject: string; text: string; html: string };

export function renderDigest(d: DigestContent, { unsubscribeUrl }: { unsubscribeUrl: string }): RenderedDigest {
  const money = (v: string | null, cur: string | null) => (v === null || cur === null ? "n/a" : formatMoney(v, cur));
  const subject = `Burnrate weekly digest for ${d.org.name} (${d.week}): ${formatMoney(d.spend.thisWeek, d.spend.currency)} spent`;
  const period = `${day(d.window.from)} to ${day(new Date(Date.parse(d.window.to) - 86_400_000).toISOString())} (UTC)`;

  // ── plain text
  const t: string[] = [];
  t.push(`Burnrate weekly digest: ${d.org.name}, ${d.week}`, `Week of ${period}`, "");
  t.push("SPEND", `This week: ${formatMoney(d.spend.thisWeek, d.spend.currency)}, ${changeText(d.spend)}.`);
  if (d.spend.otherCurrencies.length) t.push(`Spend in ${d.spend.otherCurrencies.join(", ")} is not included (no conversion).`);
  t.push("");
  t.push("BUDGETS");
  if (d.budgets.length === 0) t.push("No budgets yet.");
  for (const b of d.budgets) {
    t.push(`- ${b.name} (${b.scope}, ${b.periodKey}): ${formatMoney(b.actual, b.currency)} of ${formatMoney(b.amount, b.currency)} (${b.percentUsed}%), forecast ${formatMoney(b.projected, b.currency)} (${b.forecastPercent}%)`);
  }
  t.push(`  ${d.links.budgets}`, "");
  t.push("GPUS");
  t.push(`Mean utilization: ${pct(d.gpu.meanUtilization)} over ${d.gpu.gpuHours.toFixed(1)} GPU-hours.`);
  t.push(`Idle: ${d.gpu.idleGpuHours.toFixed(1)} GPU-hours costing ${money(d.gpu.idleCost, d.gpu.currency)}.`, `  ${d.links.overview}`, "");
  t.push("TOP RECOMMENDATIONS");
  if (d.recommendations.length === 0) t.push("None open.");
  d.recommendations.forEach((r, i) => t.push(`${i + 1}. ${r.title}: saves ${formatMoney(r.monthlySavings, r.currency)} per month`));
  t.push(`  ${d.links.recommendations}`, "");
  t.push("SLO BREACHES");
  if (d.breaches.length === 0) t.push("None this week.");
  for (const b of d.breaches) {
    t.push(`- ${b.slo} (${b.objective}): ${b.startedAt.slice(0, 16).replace("T", " ")} to ${b.endedAt ? b.endedAt.slice(0, 16).replace("T", " ") : "ongoing"} UTC, worst ${b.worst}, ${(b.errorBudgetConsumed * 100).toFixed(1)}% of the error budget`);
  }
  t.push(`  ${d.links.slos}`, "");
  t.push("--", `Alert history: ${d.links.alerts}`, `Change when this arrives: ${d.links.preferences}`, `Unsubscribe: ${unsubscribeUrl}`);
  const text = t.join("\n");

  // ── HTML
  const h2 = (s: string) => `<h2 style="margin:24px 0 8px;font-size:16px;line-height:22px;color:#111827;font-weight:700">${esc(s)}</h2>`;
  const p = (s: string) => `<p style="margin:0 0 8px;font-size:14px;line-height:20px;color:#1f2937">${s}</p>`;
  const a = (href: string, label: string) => `<a href="${esc(href)}" style="color:#1d4ed8;text-decoration:underline">${esc(label)}</a>`;
  const th = (s: string, right = false) => `<th style="text-align:${right ? "right" : "left"};padding:6px 8px;font-size:12px;color:#374151;border-bottom:1px solid #d1d5db">${esc(s)}</th>`;
  const td = (s: string, right = false) => `<td style="text-align:${right ? "right" : "left"};padding:6px 8px;font-size:13px;color:#111827;border-bottom:1px solid #e5e7eb">${s}</td>`;
  const table = (head: string, rows: string[]) => `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse"><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;

  const body: string[] = [];
  body.push(`<h1 style="margin:0 0 4px;font-size:20px;line-height:28px;color:#111827">Weekly digest: ${esc(d.org.name)}</h1>`);
  body.push(p(`<span style="color:#4b5563">${esc(d.week)}, week of ${esc(period)}</span>`));
  body.push(h2("Spend"));
  body.push(p(`<strong style="font-size:18px">${esc(formatMoney(d.spend.thisWeek, d.spend.currency))}</strong> this week, ${esc(changeText(d.spend))}.`));
  if (d.spend.otherCurrencies.length) body.push(p(`Spend in ${esc(d.spend.otherCurrencies.join(", "))} is not included (no conversion).`));
  body.push(h2("Budgets"));
  body.push(
    d.budgets.length
      ? table(
          th("Budget") + th("Spent", true) + th("Budget", true) + th("Used", true) + th("Forecast", true),
          d.budgets.map(
            (b) =>
              `<tr>${td(`${esc(b.name)}<br><span style="color:#4b5563;font-size:12px">${esc(b.scope)} · ${esc(b.periodKey)}</span>`)}${td(esc(formatMoney(b.actual, b.currency)), true)}${td(esc(formatMoney(b.amount, b.currency)), true)}${td(`${b.percentUsed}%${b.percentUsed >= 100 ? " (over)" : ""}`, true)}${td(`${esc(formatMoney(b.projected, b.currency))} (${b.forecastPercent}%)`, true)}</tr>`,
          ),
        )
      : p("No budgets yet."),
  );
  body.push(p(a(d.links.budgets, "Open budgets")));
  body.push(h2("GPUs"));
  body.push(p(`Mean utilization <strong>${esc(pct(d.gpu.meanUtilization))}</strong> over ${d.gpu.gpuHours.toFixed(1)} GPU-hours. Idle: ${d.gpu.idleGpuHours.toFixed(1)} GPU-hours costing <strong>${esc(money(d.gpu.idleCost, d.gpu.currency))}</strong>.`));
  body.push(p(a(d.links.overview, "Open the overview")));
  body.push(h2("Top recommendations"));
  body.push(
    d.recommendations.length
      ? `<ol style="margin:0 0 8px;padding-left:20px;font-size:14px;line-height:20px;color:#1f2937">${d.recommendations.map((r) => `<li>${esc(r.title)}: saves <strong>${esc(formatMoney(r.monthlySavings, r.currency))}</strong> per month</li>`).join("")}</ol>`
      : p("None open."),
  );
  body.push(p(a(d.links.recommendations, "See all recommendations")));
  body.push(h2("SLO breaches"));
  body.push(
    d.breaches.length
      ? table(
          th("SLO") + th("When (UTC)") + th("Worst", true) + th("Budget used", true),
          d.breaches.map(
            (b) =>
              `<tr>${td(`${esc(b.slo)}<br><span style="color:#4b5563;font-size:12px">${esc(b.objective)}</span>`)}${td(`${esc(b.startedAt.slice(0, 16).replace("T", " "))} – ${b.endedAt ? esc(b.endedAt.slice(0, 16).replace("T", " ")) : "ongoing"}`)}${td(esc(b.worst), true)}${td(`${(b.errorBudgetConsumed * 100).toFixed(1)}%`, true)}</tr>`,
          ),
        )
      : p("None this week."),
  );
  body.push(p(a(d.links.slos, "Open SLOs")));
  const footer = `<p style="margin:24px 0 0;font-size:12px;line-height:18px;color:#4b5563">Sent to ${esc(d.recipient.email)} because you subscribed to the weekly digest of ${esc(d.org.name)}. ${a(d.links.preferences, "Change day and time")} · ${a(d.links.alerts, "Alert history")} · ${a(unsubscribeUrl, "Unsubscribe")}</p>`;

  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light"><title>${esc(subject)}</title></head><body style="margin:0;padding:0;background:#f3f4f6"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px 12px"><table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px"><tr><td style="padding:24px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif">${body.join("")}${footer}</td></tr></table></td></tr></table></body></html>`;
  return { subject, text, html };
}
