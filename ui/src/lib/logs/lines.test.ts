import { describe, expect, it } from "vitest";
import { Lines } from "./lines";
import { batchOf, type TestLine } from "./batch.testing";

const ts = (i: number) => `2026-11-28T09:30:${String(i % 60).padStart(2, "0")}.5Z`;
const line = (i: number, stream: "Out" | "Err" = "Out", source = 0): TestLine => ({ source, stream, ts: ts(i), text: `line ${i}` });
const batch = (from: number, n: number) => batchOf(Array.from({ length: n }, (_, i) => line(from + i)));
const texts = (l: Lines) => l.toArray().map((e) => e.text);

describe("Lines", () => {
  it("keeps the newest lines and counts what it dropped", () => {
    const l = new Lines(3);
    l.pushBatch(batch(0, 2));
    expect(texts(l)).toEqual(["line 0", "line 1"]);
    l.pushBatch(batch(2, 3));
    expect(texts(l)).toEqual(["line 2", "line 3", "line 4"]);
    expect([l.dropped, l.firstSeq, l.nextSeq, l.length]).toEqual([2, 2, 5, 3]);
    expect(l.bySeq(1)).toBeUndefined();
    expect(l.bySeq(4)).toEqual({ source: 0, stream: "Out", ts: ts(4), text: "line 4", plain: "line 4" });
    expect(l.at(0)?.text).toBe("line 2");
    expect(l.at(3)).toBeUndefined();
  });

  it("takes a batch larger than itself and stays bounded, across many batches", () => {
    const l = new Lines(1000);
    l.pushBatch(batch(0, 250_000));
    expect([l.length, l.dropped]).toEqual([1000, 249_000]);
    expect(l.at(0)?.text).toBe("line 249000");
    for (let b = 0; b < 300; b++) l.pushBatch(batch(250_000 + b * 7, 7));
    expect(l.length).toBe(1000);
    expect(l.at(0)?.text).toBe(`line ${250_000 + 2100 - 1000}`);
    expect(l.at(999)?.text).toBe(`line ${250_000 + 2099}`);
    // Every kept line is found by its number, in order, with its own timestamp (small batches
    // whose timestamps share less than each other's were joined).
    for (let seq = l.firstSeq; seq < l.nextSeq; seq++) {
      expect(l.bySeq(seq)?.text).toBe(`line ${seq}`);
      expect(l.bySeq(seq)?.ts).toBe(ts(seq));
    }
  });

  it("keeps stderr, sources of a merged batch, markers, and plain text without escapes", () => {
    const l = new Lines(100);
    l.pushBatch(batchOf([line(1), { ...line(2, "Err", 1), text: "\x1b[31mred\x1b[0m" }, line(3, "Out", 2)]));
    l.pushMarker(1, ts(4), "restarted");
    l.pushBatch(batch(5, 1));
    expect(l.toArray().map((e) => [e.source, e.stream, e.plain])).toEqual([
      [0, "Out", "line 1"],
      [1, "Err", "red"],
      [2, "Out", "line 3"],
      [1, "Marker", "restarted"],
      [0, "Out", "line 5"],
    ]);
    expect(l.at(1)?.text).toBe("\x1b[31mred\x1b[0m");
    expect(l.toArray().map((e) => e.ts)).toEqual([ts(1), ts(2), ts(3), ts(4), ts(5)]);
    const seen: [number, string][] = [];
    l.eachPlain(1, (seq, plain) => seen.push([seq, plain]));
    expect(seen).toEqual([
      [1, "red"],
      [2, "line 3"],
      [4, "line 5"],
    ]);
  });

  it("joins many small batches into one chunk that keeps each line's source, stream and time", () => {
    const l = new Lines(1000);
    // Across a minute's end, so the batches' shared timestamp starts differ.
    const at = (i: number) => `2026-11-28T09:${i < 20 ? "30" : "31"}:${String(i % 60).padStart(2, "0")}.${i}Z`;
    const want: [number, string, string, string][] = [];
    for (let i = 0; i < 45; i++) {
      if (i % 10 === 9) {
        l.pushMarker(i % 3, at(i), `restarted ${i}`);
        want.push([i % 3, "Marker", at(i), `restarted ${i}`]);
      } else {
        const one = { source: i % 3, stream: i % 4 === 0 ? ("Err" as const) : ("Out" as const), ts: at(i), text: `line ${i}` };
        l.pushBatch(batchOf(i % 5 === 0 ? [one, { ...one, source: (i + 1) % 3, text: `also ${i}` }] : [one]));
        want.push([one.source, one.stream, one.ts, one.text]);
        if (i % 5 === 0) want.push([(i + 1) % 3, one.stream, one.ts, `also ${i}`]);
      }
    }
    expect(l.toArray().map((e) => [e.source, e.stream, e.ts, e.text])).toEqual(want);
    const seen: number[] = [];
    l.eachLine(l.firstSeq, false, (_seq, source) => seen.push(source));
    expect(seen).toEqual(want.map((w) => w[0]));
  });

  it("clears without reusing sequence numbers, and refuses a zero capacity", () => {
    const l = new Lines(2);
    l.pushBatch(batch(0, 2));
    l.clear();
    expect(l.length).toBe(0);
    l.pushBatch(batch(9, 1));
    expect(l.bySeq(2)?.text).toBe("line 9");
    expect(() => new Lines(0)).toThrow(RangeError);
  });
});
