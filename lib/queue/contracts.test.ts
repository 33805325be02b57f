import { describe, expect, it } from "vitest";
import {
  DEFAULT_JOB_OPTIONS,
  jobOptionsFor,
  QUEUE_NAMES,
  QUEUES,
  rollupRefreshJobId,
  rollupRefreshPayloadSchema,
  rollupsPayloadSchema,
} from "./contracts";

const from = new Date("2026-01-15T10:00:00Z");
const to = new Date("2026-01-15T13:00:00Z");

describe("rollup job ids", () => {
  it("are deterministic and readable", () => {
    expect(rollupRefreshJobId({ orgId: "clx1abc", from, to })).toBe("rollup-clx1abc-20260115T1000Z-20260115T1300Z");
    expect(rollupRefreshJobId({ orgId: "clx1abc", from, to })).toBe(rollupRefreshJobId({ orgId: "clx1abc", from: new Date(from), to: new Date(to) }));
  });

  it("never contain ':' (BullMQ rejects them) and keep free-form parts one-to-one", () => {
    const id = rollupRefreshJobId({ orgId: "org:with-dash", from, to, cause: "ingestion:run-42" });
    expect(id).toBe("rollup-org%3Awith%2Ddash-20260115T1000Z-20260115T1300Z-ingestion%3Arun%2D42");
    expect(id).not.toContain(":");
    // "a-b" + cause "c" must not collide with "a" + cause "b-c".
    expect(rollupRefreshJobId({ orgId: "a-b", from, to, cause: "c" })).not.toBe(rollupRefreshJobId({ orgId: "a", from, to, cause: "b-c" }));
  });

  it("differ by window and by cause", () => {
    const base = rollupRefreshJobId({ orgId: "o", from, to });
    expect(rollupRefreshJobId({ orgId: "o", from, to: new Date("2026-01-15T14:00:00Z") })).not.toBe(base);
    expect(rollupRefreshJobId({ orgId: "o", from, to, cause: "manual" })).toBe(`${base}-manual`);
  });
});

describe("rollups payloads", () => {
  it("accept a refresh and a fan-out, told apart by kind", () => {
    const refresh = rollupsPayloadSchema.parse({ kind: "refresh", orgId: "o", from: from.toISOString(), to: to.toISOString() });
    expect(refresh.kind).toBe("refresh");
    expect(rollupsPayloadSchema.parse({ kind: "fan-out" })).toEqual({ kind: "fan-out" });
    expect(rollupsPayloadSchema.parse({ kind: "fan-out", lookbackHours: 3 })).toEqual({ kind: "fan-out", lookbackHours: 3 });
  });

  it("tolerate unknown fields from a newer producer", () => {
    expect(rollupRefreshPayloadSchema.safeParse({ kind: "refresh", orgId: "o", from: from.toISOString(), to: to.toISOString(), later: 1 }).success).toBe(true);
  });

  it("reject windows that are not whole hours, reversed, or too long", () => {
    const bad = [
      { from: "2026-01-15T10:30:00Z", to: to.toISOString() },
      { from: to.toISOString(), to: from.toISOString() },
      { from: "2026-01-01T00:00:00Z", to: "2026-01-09T01:00:00Z" },
      { from: "yesterday", to: to.toISOString() },
    ];
    for (const w of bad) expect(rollupRefreshPayloadSchema.safeParse({ kind: "refresh", orgId: "o", ...w }).success).toBe(false);
    expect(rollupsPayloadSchema.safeParse({ kind: "refresh", from: from.toISOString(), to: to.toISOString() }).success).toBe(false);
    expect(rollupsPayloadSchema.safeParse({ orgId: "o" }).success).toBe(false);
  });
});

describe("job options", () => {
  it("retry with exponential backoff and keep bounded history, for every queue", () => {
    for (const q of QUEUE_NAMES) {
      const o = DEFAULT_JOB_OPTIONS[q];
      expect(o.attempts).toBeGreaterThan(1);
      expect(o.backoff).toMatchObject({ type: "exponential" });
      expect(o.removeOnComplete).toMatchObject({ age: expect.any(Number), count: expect.any(Number) });
      expect(o.removeOnFail).toMatchObject({ age: expect.any(Number), count: expect.any(Number) });
    }
  });

  it("take per-queue overrides", () => {
    const o = jobOptionsFor(QUEUES.rollups, { rollups: { backoff: { type: "exponential", delay: 10 } } });
    expect(o).toMatchObject({ attempts: DEFAULT_JOB_OPTIONS.rollups.attempts, backoff: { type: "exponential", delay: 10 } });
  });
});
