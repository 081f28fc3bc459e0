import { describe, expect, it } from "vitest";
import { compile, highlight } from "./search";

function matcher(text: string, regex = false, caseSensitive = false) {
  const c = compile({ text, regex, caseSensitive });
  if (!c.ok || !c.matcher) throw new Error("expected a matcher");
  return c.matcher;
}

describe("search", () => {
  it("finds plain text literally, with and without case", () => {
    const m = matcher("a.b");
    expect(m.test("xA.Bx")).toBe(true);
    expect(m.test("axb")).toBe(false);
    expect(matcher("A.b", false, true).test("a.b")).toBe(false);
    expect(m.ranges("a.b A.B")).toEqual([
      [0, 3],
      [4, 7],
    ]);
  });

  it("takes regular expressions and reports a bad one", () => {
    expect(matcher("err(or)?\\s\\d+", true).ranges("ERROR 42, err 7")).toEqual([
      [0, 8],
      [10, 15],
    ]);
    expect(matcher("x*", true).ranges("abc")).toEqual([]);
    const bad = compile({ text: "(", regex: true, caseSensitive: false });
    expect(bad.ok).toBe(false);
    expect(compile({ text: "", regex: true, caseSensitive: false })).toEqual({ ok: true, matcher: null });
  });

  it("gives the same answer twice in a row (no regex state leaks)", () => {
    const m = matcher("hit", true);
    expect([m.test("a hit"), m.test("a hit"), m.test("hit")]).toEqual([true, true, true]);
  });

  it("cuts styled spans at the matches", () => {
    const spans = [
      { text: "abc", style: 1 },
      { text: "def", style: 2 },
    ];
    expect(highlight(spans, [[2, 4]])).toEqual([
      { text: "ab", style: 1, mark: false },
      { text: "c", style: 1, mark: true },
      { text: "d", style: 2, mark: true },
      { text: "ef", style: 2, mark: false },
    ]);
    expect(highlight(spans, [])).toEqual(spans.map((s) => ({ ...s, mark: false })));
  });
});
