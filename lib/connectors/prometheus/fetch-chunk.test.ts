import { describe, expect, it } from "vitest";
import { joinPieces } from "./fetch-chunk";

describe("joinPieces", () => {
  it("joins consecutive pieces per label set, keeping shared boundary points once", () => {
    const a = { __name__: "c", x: "1" };
    const b = { x: "2", __name__: "c" };
    const out = joinPieces([
      [{ metric: a, t: [0, 60, 120], v: [1, 2, 3] }],
      [
        { metric: { x: "1", __name__: "c" }, t: [120, 180], v: [3, 4] },
        { metric: b, t: [150, 180], v: [7, 8] },
      ],
    ]);
    expect(out).toEqual([
      { metric: a, t: [0, 60, 120, 180], v: [1, 2, 3, 4] },
      { metric: b, t: [150, 180], v: [7, 8] },
    ]);
  });
});
