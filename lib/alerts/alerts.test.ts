import { describe, expect, it } from "vitest";
import { parseRetryAfter, slackEscape, slackMessage } from "./channels/slack";
import { retryDelay } from "./deliver";
import { channelMatches } from "./routing";
import { budgetCrossings } from "../budgets/status";
import type { BudgetView } from "../domain/alerting";

describe("Slack delivery helpers", () => {
  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:28:05 GMT", Date.parse("Wed, 21 Oct 2026 07:28:00 GMT"))).toBe(5000);
    expect(parseRetryAfter("soon")).toBeNull();
  });

  it("honours Retry-After, else backs off exponentially, capped at 15 minutes", () => {
    expect(retryDelay({ attempt: 1, retryAfterMs: 7000, baseMs: 100 })).toBe(7000);
    expect([1, 2, 3].map((attempt) => retryDelay({ attempt, retryAfterMs: null, baseMs: 1000 }))).toEqual([1000, 2000, 4000]);
    expect(retryDelay({ attempt: 30, retryAfterMs: null, baseMs: 1000 })).toBe(900_000);
    expect(retryDelay({ attempt: 1, retryAfterMs: 3_600_000, baseMs: 1000 })).toBe(900_000);
  });

  it("escapes mrkdwn control characters and builds the link from APP_URL", () => {
    expect(slackEscape("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
    const m = slackMessage({
      title: "T",
      severity: "WARNING",
      appUrl: "https://burnrate.example",
      payload: { summary: "s", scopeLabel: "Team ml", scope: { kind: "TEAM", value: "ml" }, figures: [{ label: "Budget", value: "$1.00" }], path: "/acme/budgets?budget=1" },
    });
    expect(JSON.stringify(m)).toContain("https://burnrate.example/acme/budgets?budget=1");
    expect(m.text).toBe("T: s");
  });

  it("routes by severity and scope", () => {
    const ch = (minSeverity: "INFO" | "WARNING" | "CRITICAL", scopes: unknown[] = [], enabled = true) => ({ id: "c", enabled, minSeverity, config: { scopes } });
    const alert = { severity: "WARNING" as const, scope: { kind: "TEAM", value: "ml" } };
    expect(channelMatches(ch("INFO"), alert)).toBe(true);
    expect(channelMatches(ch("CRITICAL"), alert)).toBe(false);
    expect(channelMatches(ch("INFO", [], false), alert)).toBe(false);
    expect(channelMatches(ch("INFO", [{ kind: "TEAM", value: "ml" }]), alert)).toBe(true);
    expect(channelMatches(ch("INFO", [{ kind: "TEAM" }]), alert)).toBe(true);
    expect(channelMatches(ch("INFO", [{ kind: "TEAM", value: "research" }]), alert)).toBe(false);
    expect(channelMatches(ch("INFO", [{ kind: "CLUSTER", value: "ml" }]), alert)).toBe(false);
  });
});

describe("budgetCrossings", () => {
  const view = (actual: string, projected: string, daysLeft = 10): BudgetView =>
    ({
      id: "b1",
      periodKey: "2026-06",
      amount: "1000.00",
      actual,
      thresholds: [50, 80, 100],
      forecastThreshold: 100,
      forecast: { method: "weekly-seasonal", projected, low: projected, high: projected, percentOfBudget: 0, daysSeen: 20, daysLeft },
    }) as unknown as BudgetView;

  it("lists crossed thresholds highest first, at exactly the threshold too", () => {
    expect(budgetCrossings(view("499.99", "900")).map((c) => c.dedupKey)).toEqual([]);
    expect(budgetCrossings(view("800.00", "999.99")).map((c) => [c.threshold, c.severity])).toEqual([
      [80, "WARNING"],
      [50, "INFO"],
    ]);
    expect(budgetCrossings(view("1000", "1200")).map((c) => c.dedupKey)).toEqual([
      "budget:b1:actual:100:2026-06",
      "budget:b1:actual:80:2026-06",
      "budget:b1:actual:50:2026-06",
      "budget:b1:forecast:100:2026-06",
    ]);
  });

  it("has no forecast crossing once the period is over", () => {
    expect(budgetCrossings(view("100", "5000", 0))).toEqual([]);
  });
});
