import { describe, expect, it } from "vitest";
import { chunksOf } from "../../../src/util/chunks.ts";

describe("chunksOf", () => {
  it("cuts a list into consecutive slices of the size, the last one shorter", () => {
    expect([...chunksOf([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...chunksOf([1, 2, 3, 4], 2)]).toEqual([[1, 2], [3, 4]]);
    expect([...chunksOf([1, 2], 1000)]).toEqual([[1, 2]]);
  });

  it("gives nothing for an empty list", () => {
    expect([...chunksOf([], 3)]).toEqual([]);
  });

  it("refuses a size that would never end or cut nothing", () => {
    expect(() => [...chunksOf([1], 0)]).toThrow(RangeError);
    expect(() => [...chunksOf([1], 1.5)]).toThrow("a chunk size must be a whole number of at least 1, not 1.5");
  });
});
