// A long list kept in step with the backend's copy by the rows that changed since the version
// the page has, instead of the whole list after every change.
import type { EngineError } from "../../bindings";
import type { Fetch } from "./list-store.svelte";
import { equal, keepUnchanged } from "./reuse";

/** What the backend sends: the whole list, or the rows changed and gone since a version. */
export type Update<T> = { version: number; whole: T[] | null; changed: T[]; gone: string[] };

type Call<T> = (
  version: number | null,
) => Promise<{ status: "ok"; data: Update<T> } | { status: "error"; error: EngineError }>;

/**
 * `rows` with `update` applied: changed rows replaced in place, new ones first, gone ones out. A
 * row that did not change stays the same object, so a keyed view redraws only the rows that did.
 */
export function applyUpdate<T>(rows: readonly T[], update: Update<T>, key: (row: T) => string): T[] {
  if (update.whole) return keepUnchanged(rows, update.whole, key);
  if (update.changed.length === 0 && update.gone.length === 0) return rows as T[];
  const fresh = new Map(update.changed.map((r) => [key(r), r]));
  const gone = new Set(update.gone);
  const kept: T[] = [];
  let same = true;
  for (const row of rows) {
    const k = key(row);
    const next = fresh.get(k);
    if (next !== undefined) {
      const unchanged = equal(row, next);
      kept.push(unchanged ? row : next);
      same &&= unchanged;
      fresh.delete(k);
    } else if (!gone.has(k)) {
      kept.push(row);
    } else {
      same = false;
    }
  }
  // Rows listed again as they were (an event that changed nothing shown) leave the list as it is.
  if (same && fresh.size === 0) return rows as T[];
  // The backend lists new rows first, newest first, as the engine does.
  return [...fresh.values(), ...kept];
}

/**
 * A list fetch that asks `call` for what changed since the last answer and patches its own copy;
 * `forget` drops that copy (another engine is shown).
 */
export function patchedFetch<T>(call: Call<T>, key: (row: T) => string): Fetch<T> & { forget(): void; keepsRows: boolean } {
  let version: number | null = null;
  let rows: T[] = [];
  const fetch = async () => {
    const asked = version;
    const res = await call(asked);
    if (res.status === "error") return res;
    // An answer to a version forgotten meanwhile patches nothing.
    if (asked !== version && res.data.whole === null) return { status: "ok" as const, data: rows };
    rows = applyUpdate(rows, res.data, key);
    version = res.data.version;
    return { status: "ok" as const, data: rows };
  };
  return Object.assign(fetch, {
    keepsRows: true,
    forget() {
      version = null;
      rows = [];
    },
  });
}
