import { describe, expect, it } from "vitest";
import { equal, keepUnchanged } from "./reuse";

type Row = { id: string; state: string; ports: { p: number }[]; project: string | null };
const row = (id: string, state = "running", ports = [80]): Row => ({
  id,
  state,
  ports: ports.map((p) => ({ p })),
  project: null,
});
const byId = (r: Row) => r.id;

describe("keepUnchanged", () => {
  it("gives back the old list itself when the new one is equal", () => {
    const old = [row("a"), row("b")];
    expect(keepUnchanged(old, [row("a"), row("b")], byId)).toBe(old);
  });

  it("keeps unchanged rows as they were and takes the changed ones", () => {
    const old = [row("a"), row("b"), row("c")];
    const next = keepUnchanged(old, [row("a"), row("b", "exited"), row("c", "running", [80, 443])], byId);
    expect(next).not.toBe(old);
    expect(next[0]).toBe(old[0]);
    expect(next[1]).not.toBe(old[1]);
    expect(next[1].state).toBe("exited");
    expect(next[2].ports).toHaveLength(2);
  });

  it("follows new, removed and reordered rows", () => {
    const old = [row("a"), row("b")];
    const added = keepUnchanged(old, [row("n"), row("a"), row("b")], byId);
    expect(added.map(byId)).toEqual(["n", "a", "b"]);
    expect(added[1]).toBe(old[0]);
    const removed = keepUnchanged(old, [row("b")], byId);
    expect(removed).toEqual([row("b")]);
    expect(removed[0]).toBe(old[1]);
    const swapped = keepUnchanged(old, [row("b"), row("a")], byId);
    expect(swapped).not.toBe(old);
    expect(swapped[0]).toBe(old[1]);
  });
});

describe("equal", () => {
  it("compares parsed JSON deeply", () => {
    expect(equal({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(equal({ a: [1, { b: null }] }, { a: [1, { b: 0 }] })).toBe(false);
    expect(equal({ a: 1 }, { b: 1 })).toBe(false);
    expect(equal({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(equal([1, 2], [1, 2, 3])).toBe(false);
    expect(equal([], {})).toBe(false);
    expect(equal(null, {})).toBe(false);
  });
});
