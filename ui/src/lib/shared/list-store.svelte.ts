// A list that follows the engine: refetched when the engine says it changed, but only while a
// view shows it; otherwise just marked stale and fetched when a view comes back to it.
import type { EngineError } from "../../bindings";
import { keepUnchanged } from "./reuse";

export type Fetch<T> = (() => Promise<{ status: "ok"; data: T[] } | { status: "error"; error: EngineError }>) & {
  /** Drops what the fetch keeps of the last list (another engine is shown). */
  forget?: () => void;
  /** Rows that did not change come back as the same objects: no pass over the whole list is
   *  needed to find them (a long list, patched after every change). */
  keepsRows?: boolean;
};

export class ListStore<T> {
  /**
   * The last list the engine gave. Not deep-reactive: rows are replaced, never mutated, and a row
   * that did not change stays the same object (with `key`).
   */
  items = $state.raw<T[]>([]);
  /** Why the last fetch failed, if it did. The previous items stay in place. */
  error = $state<EngineError | null>(null);
  /** True once a fetch has succeeded. */
  loaded = $state(false);

  #fetch: Fetch<T>;
  #key: ((item: T) => string) | undefined;
  // Nothing is fetched until the engine feed first says the list exists (on connect).
  #stale = false;
  #watchers = 0;
  #inflight: Promise<void> | null = null;
  #again = false;
  // Bumped by reset: a fetch begun before it answers for another engine, and is dropped.
  #generation = 0;

  constructor(fetch: Fetch<T>, key?: (item: T) => string) {
    this.#fetch = fetch;
    this.#key = key;
  }

  /** The window shows another engine: forget this list; the next change fetches it anew. */
  reset(): void {
    this.#generation++;
    this.#fetch.forget?.();
    this.items = [];
    this.error = null;
    this.loaded = false;
    this.#stale = false;
    this.#again = false;
    this.#inflight = null;
  }

  /** The engine says this list changed. */
  invalidate(): void {
    this.#stale = true;
    if (this.#watchers > 0) void this.refresh();
  }

  /** A view shows this list; returns the function to call when it stops. */
  watch(): () => void {
    this.#watchers++;
    if (this.#stale) void this.refresh();
    return () => {
      this.#watchers--;
    };
  }

  /** A view that needs the list current opens: watch it, and fetch it now (once, stale or not). */
  watchFresh(): () => void {
    const stop = this.watch();
    if (!this.#inflight) void this.refresh();
    return stop;
  }

  /**
   * Fetch once before the change feed asks for it (at start-up, while the page is still being
   * built): a list that arrives is shown; a failure (the engine not connected yet) is left to the
   * feed, whose first change fetches again.
   */
  prefetch(): Promise<void> {
    return this.#inflight ?? this.#run(true);
  }

  /** Fetch now. Calls that arrive during a fetch are folded into one more fetch after it. */
  refresh(): Promise<void> {
    if (this.#inflight) {
      this.#again = true;
      return this.#inflight;
    }
    return this.#run(false);
  }

  #run(quiet: boolean): Promise<void> {
    const generation = this.#generation;
    const run = (async () => {
      try {
        do {
          this.#again = false;
          this.#stale = false;
          const res = await this.#fetch();
          if (generation !== this.#generation) return;
          if (res.status === "ok") {
            this.items =
              this.#key && !this.#fetch.keepsRows ? keepUnchanged(this.items, res.data, this.#key) : res.data;
            this.error = null;
            this.loaded = true;
          } else {
            if (!quiet) this.error = res.error;
            this.#stale = true;
          }
          quiet = false;
        } while (this.#again);
      } finally {
        // At once, not a turn later: a change asked for after the last check would be lost.
        if (generation === this.#generation) this.#inflight = null;
      }
    })();
    this.#inflight = run;
    return run;
  }
}
