// Slack incoming webhooks: the Block Kit message of an alert event, and one POST of it. The caller
// decides what a status means for retries (see deliver.ts); this module only reports what happened.
import type { AlertPayload } from "../payload";

export type SlackMessage = { text: string; blocks: unknown[] };

const SEVERITY_EMOJI: Record<string, string> = { INFO: ":information_source:", WARNING: ":warning:", CRITICAL: ":rotating_light:" };

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function slackMessage({ title, severity, payload, appUrl }: { title: string; severity: string; payload: AlertPayload; appUrl: string }): SlackMessage {
  const link = new URL(payload.path, appUrl).toString();
  const emoji = payload.resolved ? ":white_check_mark:" : (SEVERITY_EMOJI[severity] ?? "");
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: `${payload.resolved ? "Resolved: " : ""}${title}`.slice(0, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: `${emoji} *${slackEscape(payload.summary)}*` } },
  ];
  if (payload.figures.length) {
    blocks.push({
      type: "section",
      fields: payload.figures.slice(0, 10).map((f) => ({ type: "mrkdwn", text: `*${slackEscape(f.label)}*\n${slackEscape(f.value)}` })),
    });
  }
  if (payload.movers?.length) {
    const lines = payload.movers.map((m) => `• ${m.dimension} *${slackEscape(m.key)}*: ${slackEscape(m.text)}`);
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*Top movers (last 7 days vs the 7 before)*\n${lines.join("\n")}` } });
  }
  blocks.push({
    type: "actions",
    elements: [{ type: "button", text: { type: "plain_text", text: payload.linkText ?? "Open in Burnrate" }, url: link }],
  });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Burnrate · ${slackEscape(payload.scopeLabel)} · <${link}|details>` }] });
  return { text: `${payload.resolved ? "Resolved: " : ""}${title}: ${payload.summary}`, blocks };
}

export type PostResult = { ok: boolean; status: number | null; retryAfterMs: number | null; error: string | null };

/** Retry-After is either delta-seconds or an HTTP date; returns milliseconds from now, or null. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export async function postToSlack(url: string, message: SlackMessage, timeoutMs = 10_000): Promise<PostResult> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    const body = (await res.text()).slice(0, 300);
    return {
      ok: res.ok,
      status: res.status,
      retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      error: res.ok ? null : `HTTP ${res.status}${body ? `: ${body}` : ""}`,
    };
  } catch (err) {
    return { ok: false, status: null, retryAfterMs: null, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}
