import { describe, expect, it } from "vitest";
import type { Removal } from "../../bindings";
import { describeRemovals, Prune } from "./prune.svelte";

const ok = <T>(data: T) => Promise.resolve({ status: "ok" as const, data });

describe("Prune", () => {
  it("removes exactly what it showed, by name", async () => {
    const asked: string[][] = [];
    const p = new Prune(
      () => ok([{ name: "a" }, { name: "b" }]),
      (t) => t.name,
      (names) => {
        asked.push(names);
        return ok(names.map((name): Removal => ({ name, error: null })));
      },
    );
    await p.ask();
    expect(p.shown?.map((t) => t.name)).toEqual(["a", "b"]);
    await p.confirm();
    expect(asked).toEqual([["a", "b"]]);
    expect(p.shown).toBeNull();
    expect(p.results?.length).toBe(2);
  });

  it("asks nothing when there was nothing to remove, and keeps a failure to find", async () => {
    let removed = false;
    const p = new Prune(() => ok([] as { name: string }[]), (t) => t.name, () => ((removed = true), ok([])));
    await p.ask();
    await p.confirm();
    expect(removed).toBe(false);
    const failing = new Prune(
      () => Promise.resolve({ status: "error" as const, error: { code: "Unreachable" as const, message: "gone" } }),
      (t: { name: string }) => t.name,
      () => ok([]),
    );
    await failing.ask();
    expect(failing.shown).toBeNull();
    expect(failing.error?.code).toBe("Unreachable");
  });

  it("says what was removed and what was kept, and why", () => {
    const text = describeRemovals(
      [
        { name: "a", error: null },
        { name: "b", error: { code: "InUse", message: "b has containers attached: web" } },
      ],
      "network",
    );
    expect(text).toBe("Removed 1 network: a. Kept b: b has containers attached: web.");
    expect(describeRemovals([], "volume")).toBe("Removed no volumes.");
  });
});
