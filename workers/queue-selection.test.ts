import { describe, expect, it } from "vitest";
import { QUEUE_NAMES } from "@/lib/queue/contracts";
import { parseQueueSelection } from "./queue-selection";

describe("parseQueueSelection", () => {
  it("consumes every queue when empty", () => {
    expect(parseQueueSelection("", 2)).toEqual(QUEUE_NAMES.map((queue) => ({ queue, concurrency: 2 })));
    expect(parseQueueSelection(" , ", 3)).toEqual(QUEUE_NAMES.map((queue) => ({ queue, concurrency: 3 })));
  });

  it("takes names with optional per-queue concurrency", () => {
    expect(parseQueueSelection("rollups", 2)).toEqual([{ queue: "rollups", concurrency: 2 }]);
    expect(parseQueueSelection(" rollups:4 ", 2)).toEqual([{ queue: "rollups", concurrency: 4 }]);
    expect(parseQueueSelection("rollups,rollups:5", 2)).toEqual([{ queue: "rollups", concurrency: 5 }]);
  });

  it("fails loudly on unknown queues and bad concurrency", () => {
    expect(() => parseQueueSelection("rollup", 2)).toThrow(/unknown queue "rollup"/);
    expect(() => parseQueueSelection("rollups:0", 2)).toThrow(/1 to 64/);
    expect(() => parseQueueSelection("rollups:x", 2)).toThrow(/1 to 64/);
    expect(() => parseQueueSelection("rollups:1:2", 2)).toThrow(/unknown queue/);
  });
});
