// Shared query lanes: never more than the limit in flight across batches, FIFO between batches,
// a failing batch skips what it has not started, and closed lanes send nothing more.
import { describe, expect, it } from "vitest";
import { createLanes, inLanes } from "./connector-driver";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("createLanes / inLanes", () => {
  it("keeps at most `limit` tasks in flight over several batches, earlier batches first", async () => {
    const lanes = createLanes(3);
    let active = 0;
    let peak = 0;
    const started: string[] = [];
    const task = (name: string) => async () => {
      started.push(name);
      active++;
      peak = Math.max(peak, active);
      await tick();
      active--;
      return name;
    };
    const a = inLanes(lanes, ["a1", "a2", "a3", "a4", "a5"].map(task));
    const b = inLanes(lanes, ["b1", "b2", "b3"].map(task));
    expect(await a).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    expect(await b).toEqual(["b1", "b2", "b3"]);
    expect(peak).toBe(3);
    expect(started.indexOf("b1")).toBeGreaterThan(started.indexOf("a5"));
  });

  it("rejects with the first error and skips the batch's tasks not started yet", async () => {
    const lanes = createLanes(1);
    const ran: number[] = [];
    const tasks = [0, 1, 2, 3].map((i) => async () => {
      ran.push(i);
      await tick();
      if (i === 1) throw new Error("boom");
      return i;
    });
    await expect(inLanes(lanes, tasks)).rejects.toThrow("boom");
    expect(ran).toEqual([0, 1]);
    // the lanes stay usable for other batches
    expect(await inLanes(lanes, [async () => 7])).toEqual([7]);
  });

  it("after close, queued and new tasks fail without running", async () => {
    const lanes = createLanes(1);
    const ran: string[] = [];
    const slow = inLanes(lanes, [async () => { ran.push("first"); await tick(); return 1; }]);
    const queued = inLanes(lanes, [async () => { ran.push("queued"); return 2; }]);
    lanes.close();
    await expect(queued).rejects.toThrow(/closed/);
    expect(await slow).toEqual([1]);
    await expect(inLanes(lanes, [async () => 3])).rejects.toThrow(/closed/);
    expect(ran).toEqual(["first"]);
  });
});
