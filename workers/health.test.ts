import { describe, expect, it } from "vitest";
import { evaluateQueues, type QueueCounts } from "./health";

const counts = (c: Partial<QueueCounts>): QueueCounts => ({ waiting: 0, active: 0, delayed: 0, failed: 0, prioritized: 0, ...c });
const MIN = 60_000;
const now = 100 * MIN;

describe("evaluateQueues", () => {
  it("is not stuck when nothing waits, however long it has been idle", () => {
    const r = evaluateQueues({ now, stuckAfterMs: 10 * MIN, queues: [{ queue: "rollups", counts: counts({ delayed: 1 }), oldestWaitingAt: null, lastProgressAt: 0 }] });
    expect(r.stuck).toBe(false);
    expect(r.queues.rollups).toMatchObject({ delayed: 1, stuck: false, oldestWaitingSeconds: null, lastProgressSecondsAgo: 6000 });
  });

  it("is stuck when jobs waited longer than the limit and nothing started or finished meanwhile", () => {
    const r = evaluateQueues({
      now,
      stuckAfterMs: 10 * MIN,
      queues: [{ queue: "rollups", counts: counts({ waiting: 3 }), oldestWaitingAt: now - 11 * MIN, lastProgressAt: now - 12 * MIN }],
    });
    expect(r.stuck).toBe(true);
    expect(r.queues.rollups).toMatchObject({ waiting: 3, stuck: true, oldestWaitingSeconds: 660 });
  });

  it("is not stuck while the worker makes progress through a backlog", () => {
    const r = evaluateQueues({
      now,
      stuckAfterMs: 10 * MIN,
      queues: [{ queue: "rollups", counts: counts({ waiting: 500, active: 2 }), oldestWaitingAt: now - 60 * MIN, lastProgressAt: now - 1000 }],
    });
    expect(r.stuck).toBe(false);
  });

  it("is not stuck when the waiting jobs are recent", () => {
    const r = evaluateQueues({
      now,
      stuckAfterMs: 10 * MIN,
      queues: [{ queue: "rollups", counts: counts({ waiting: 1 }), oldestWaitingAt: now - MIN, lastProgressAt: now - 60 * MIN }],
    });
    expect(r.stuck).toBe(false);
  });

  it("counts prioritized jobs as waiting", () => {
    const r = evaluateQueues({
      now,
      stuckAfterMs: MIN,
      queues: [{ queue: "rollups", counts: counts({ prioritized: 1 }), oldestWaitingAt: now - 2 * MIN, lastProgressAt: now - 2 * MIN }],
    });
    expect(r.stuck).toBe(true);
  });
});
