import { describe, expect, it } from "vitest";
import { DEFAULT_JOB_OPTIONS, QUEUES, TELEMETRY_SCHEDULER_PREFIX, telemetryPayloadSchema, telemetryRunJobId, telemetrySchedulerId } from "./contracts";

const at = new Date("2026-01-15T10:00:00Z");

describe("ingest-telemetry contract", () => {
  it("names runs by connector and window start, without ':'", () => {
    expect(telemetryRunJobId({ connectorId: "clx1abc", windowStart: at })).toBe("telemetry-clx1abc-20260115T1000Z");
    expect(telemetryRunJobId({ connectorId: "a-b:c", windowStart: at, to: new Date("2026-01-16T00:00:00Z") })).toBe("telemetry-a%2Db%3Ac-20260115T1000Z-20260116T0000Z");
    expect(telemetrySchedulerId("clx1abc")).toBe(`${TELEMETRY_SCHEDULER_PREFIX}clx1abc`);
  });

  it("accepts runs with or without a window, and the schedule sync", () => {
    expect(telemetryPayloadSchema.parse({ kind: "run", orgId: "o", connectorId: "c" })).toEqual({ kind: "run", orgId: "o", connectorId: "c" });
    expect(telemetryPayloadSchema.safeParse({ kind: "run", orgId: "o", connectorId: "c", from: "2026-01-15T10:00:00Z", to: "2026-01-15T12:00:00Z", cause: "manual" }).success).toBe(true);
    expect(telemetryPayloadSchema.parse({ kind: "sync-schedules" })).toEqual({ kind: "sync-schedules" });
    expect(telemetryPayloadSchema.safeParse({ kind: "run", orgId: "o", connectorId: "c", from: "2026-01-15T10:00:00Z" }).success).toBe(false);
    expect(telemetryPayloadSchema.safeParse({ kind: "run", orgId: "o", connectorId: "c", from: "2026-01-15T12:00:00Z", to: "2026-01-15T10:00:00Z" }).success).toBe(false);
    expect(telemetryPayloadSchema.safeParse({ kind: "run", orgId: "o" }).success).toBe(false);
  });

  it("retries with exponential backoff", () => {
    expect(DEFAULT_JOB_OPTIONS[QUEUES.telemetry]).toMatchObject({ attempts: 3, backoff: { type: "exponential", delay: 30_000 } });
  });
});
