import { describe, expect, it, vi } from "vitest";
import { ListStore } from "./list-store.svelte";

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("ListStore", () => {
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
