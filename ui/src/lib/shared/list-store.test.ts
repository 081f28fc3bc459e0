import { describe, expect, it, vi } from "vitest";
import { ListStore } from "./list-store.svelte";

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("ListStore", () => {
  it("forgets its list on reset, and drops an answer asked for before it", async () => {
    const answers = [deferred<number[]>(), deferred<number[]>(), deferred<number[]>()];
    let calls = 0;
    const store = new ListStore<number>(async () => ({ status: "ok", data: await answers[calls++].promise }));
    store.watch();
    store.invalidate();
    answers[0].resolve([1]);
    await vi.waitFor(() => expect(store.items).toEqual([1]));
    store.invalidate();
    store.reset();
    expect(store.items).toEqual([]);
    expect(store.loaded).toBe(false);
    // The other engine's list comes with its first change; the old engine's answer is dropped.
    store.invalidate();
    answers[1].resolve([99]);
    answers[2].resolve([2]);
    await vi.waitFor(() => expect(store.items).toEqual([2]));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.items).toEqual([2]);
    expect(calls).toBe(3);
  });

  it("fetches nothing before the engine speaks, then only while watched", async () => {
    let calls = 0;
    const store = new ListStore<number>(async () => ({ status: "ok", data: [++calls] }));
    const stop = store.watch();
    expect(calls).toBe(0);
    store.invalidate();
    await vi.waitFor(() => expect(store.items).toEqual([1]));
    expect(store.loaded).toBe(true);
    stop();
    store.invalidate();
    store.invalidate();
    expect(calls).toBe(1);
    store.watch();
    await vi.waitFor(() => expect(store.items).toEqual([2]));
    expect(calls).toBe(2);
  });

  it("prefetches at start-up: a list that arrives is shown, a failure is left to the feed", async () => {
    let calls = 0;
    let up = false;
    const store = new ListStore<number>(async () => {
      calls++;
      return up ? { status: "ok", data: [calls] } : { status: "error", error: { code: "Unreachable", message: "still connecting" } };
    });
    store.prefetch();
    await vi.waitFor(() => expect(calls).toBe(1));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.error).toBeNull();
    expect(store.loaded).toBe(false);
    up = true;
    store.invalidate();
    store.watch();
    await vi.waitFor(() => expect(store.items).toEqual([2]));
    expect(store.error).toBeNull();

    const early = new ListStore<string>(async () => ({ status: "ok", data: ["web"] }));
    early.prefetch();
    await vi.waitFor(() => expect(early.items).toEqual(["web"]));
    expect(early.loaded).toBe(true);
  });

  it("a change during the prefetch is fetched once more after it", async () => {
    const gate = deferred<void>();
    let calls = 0;
    const store = new ListStore<number>(async () => {
      const n = calls++;
      if (n === 0) await gate.promise;
      return { status: "ok", data: [n] };
    });
    store.prefetch();
    store.watch();
    store.invalidate();
    gate.resolve();
    await vi.waitFor(() => expect(store.items).toEqual([1]));
    expect(calls).toBe(2);
  });

  it("a change that arrives as a fetch ends is fetched, whatever the moment", async () => {
    for (let turns = 0; turns < 8; turns++) {
      let calls = 0;
      const store = new ListStore<number>(async () => ({ status: "ok", data: [++calls] }));
      store.watch();
      void store.refresh();
      for (let t = 0; t < turns; t++) await Promise.resolve();
      store.invalidate();
      await vi.waitFor(() => expect(calls).toBe(2));
      await vi.waitFor(() => expect(store.items).toEqual([2]));
    }
  });

  it("folds changes that arrive during a fetch into one more fetch", async () => {
    const gates = [deferred<void>(), deferred<void>()];
    let calls = 0;
    const store = new ListStore<number>(async () => {
      const n = calls++;
      await gates[n]?.promise;
      return { status: "ok", data: [n] };
    });
    store.watch();
    store.invalidate();
    store.invalidate();
    store.invalidate();
    gates[0].resolve();
    gates[1].resolve();
    await store.refresh();
    expect(calls).toBe(2);
    expect(store.items).toEqual([1]);
  });

  it("keeps the last items and reports the error when a fetch fails", async () => {
    let fail = false;
    const store = new ListStore<string>(async () =>
      fail
        ? { status: "error", error: { code: "Unreachable", message: "engine went away" } }
        : { status: "ok", data: ["web"] },
    );
    store.watch();
    store.invalidate();
    await store.refresh();
    fail = true;
    await store.refresh();
    expect(store.items).toEqual(["web"]);
    expect(store.error?.code).toBe("Unreachable");
  });

  it("fetches once when a view that needs it current opens, stale or not", async () => {
    let calls = 0;
    const store = new ListStore<number>(async () => ({ status: "ok", data: [++calls] }));
    store.invalidate();
    const stop = store.watchFresh();
    await vi.waitFor(() => expect(store.items).toEqual([1]));
    stop();
    store.watchFresh();
    await vi.waitFor(() => expect(store.items).toEqual([2]));
    expect(calls).toBe(2);
  });
});
