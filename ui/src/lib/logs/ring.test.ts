import { describe, expect, it } from "vitest";
import { Ring } from "./ring";

describe("Ring", () => {
  it("keeps the newest items and counts what it dropped", () => {
    const r = new Ring<number>(3);
    r.push(1, 2);
    expect(r.toArray()).toEqual([1, 2]);
    r.push(3, 4, 5);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.dropped).toBe(2);
    expect(r.firstSeq).toBe(2);
    expect(r.nextSeq).toBe(5);
    expect(r.bySeq(1)).toBeUndefined();
    expect(r.bySeq(4)).toBe(5);
    expect(r.at(0)).toBe(3);
    expect(r.at(3)).toBeUndefined();
  });

  it("takes a batch larger than itself and stays bounded", () => {
    const r = new Ring<number>(1000);
    const batch = Array.from({ length: 250_000 }, (_, i) => i);
    r.pushAll(batch);
    r.pushAll(batch.slice(0, 10));
    expect(r.length).toBe(1000);
    expect(r.dropped).toBe(249_010);
    expect(r.at(0)).toBe(249_010);
    expect(r.at(989)).toBe(249_999);
    expect(r.at(999)).toBe(9);
  });

  it("clears without reusing sequence numbers, and refuses a zero capacity", () => {
    const r = new Ring<string>(2);
    r.push("a", "b");
    r.clear();
    expect(r.length).toBe(0);
    r.push("c");
    expect(r.bySeq(2)).toBe("c");
    expect(() => new Ring(0)).toThrow(RangeError);
  });
});
