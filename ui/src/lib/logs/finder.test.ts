import { describe, expect, it } from "vitest";
import { flushSync } from "svelte";
import { Lines } from "./lines";
import { LogFinder } from "./finder.svelte";
import { batchOf } from "./batch.testing";

const batch = (texts: string[]) => batchOf(texts.map((text) => ({ source: 0, stream: "Out" as const, ts: "", text })));

describe("LogFinder", () => {
  it("finds matches, follows new lines and old ones dropping out, and steps round", () => {
    const ring = new Lines(4);
    ring.pushBatch(batch(["a error", "b ok", "c error"]));
    const f = new LogFinder();
    f.query = "error";
    flushSync();
    f.rescan(ring);
    expect(f.matches).toEqual([0, 2]);
    expect(f.summary).toBe("2 of 2");
    // Two more lines: one matches, and the first line drops out of a ring of four.
    const from = ring.nextSeq;
    ring.pushBatch(batch(["d error", "e ok"]));
    f.appended(ring, from);
    expect(f.matches).toEqual([2, 3]);
    // The current match was the newest; with one match gone it is seq 2, and next is seq 3.
    expect(f.step(ring, 1)).toBe(2);
    expect(f.summary).toBe("2 of 2");
    expect(f.step(ring, 1)).toBe(1); // round to the first: seq 2, row 1 of the kept lines
    expect(f.summary).toBe("1 of 2");
    // Only matching lines: the rows are the matches.
    f.onlyMatching = true;
    flushSync();
    expect(f.rows(ring)).toBe(2);
    expect(f.seqAt(ring, 1)).toBe(3);
  });

  it("says when a pattern is invalid and then matches nothing", () => {
    const ring = new Lines(10);
    ring.pushBatch(batch(["x"]));
    const f = new LogFinder();
    f.query = "(";
    f.regex = true;
    flushSync();
    f.rescan(ring);
    expect(f.summary).toMatch(/^Invalid pattern: /);
    expect(f.matches).toEqual([]);
    expect(f.step(ring, 1)).toBeNull();
  });

  it("leaves out the lines of hidden sources, as rows and as matches, as lines come and go", () => {
    const ring = new Lines(5);
    const line = (source: number, text: string) => ({ source, stream: "Out" as const, ts: "", text });
    ring.pushBatch(batchOf([line(0, "a error"), line(1, "b error"), line(0, "c ok")]));
    const f = new LogFinder();
    f.toggle(1, false);
    flushSync();
    expect(f.filtering).toBe(true);
    f.rescan(ring);
    expect([f.rows(ring), f.seqAt(ring, 0), f.seqAt(ring, 1)]).toEqual([2, 0, 2]);
    f.query = "error";
    flushSync();
    f.rescan(ring);
    expect(f.matches).toEqual([0]);
    // Three more: the ring of five drops seq 0.
    const from = ring.nextSeq;
    ring.pushBatch(batchOf([line(1, "d error"), line(0, "e error"), line(0, "f")]));
    f.appended(ring, from);
    expect(f.matches).toEqual([4]);
    expect([f.rows(ring), f.seqAt(ring, 0), f.seqAt(ring, 1), f.seqAt(ring, 2)]).toEqual([3, 2, 4, 5]);
    // The match is on row 1 of those shown.
    expect(f.step(ring, 1)).toBe(1);
    // Only matching lines of the sources shown.
    f.onlyMatching = true;
    flushSync();
    expect([f.rows(ring), f.seqAt(ring, 0)]).toEqual([1, 4]);
    f.toggle(1, true);
    f.onlyMatching = false;
    flushSync();
    expect(f.filtering).toBe(false);
    f.rescan(ring);
    expect(f.matches).toEqual([1, 3, 4]);
    expect(f.rows(ring)).toBe(5);
  });
});

