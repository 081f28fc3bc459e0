// Lists come whole from the engine after every change. Keeping the rows that did not change as
// the same objects lets a keyed view redraw only the rows that did, and nothing at all when the
// list is the same (at start-up the first list is often asked for twice).

/**
 * `next`, with each item equal to the one of the same key in `old` replaced by that one; `old`
 * itself when nothing changed.
 */
export function keepUnchanged<T>(old: readonly T[], next: T[], key: (item: T) => string): T[] {
  if (old.length === 0) return next;
  const before = new Map(old.map((o) => [key(o), o]));
  let same = old.length === next.length;
  const kept = next.map((item, i) => {
    const prev = before.get(key(item));
    if (prev === undefined || !equal(prev, item)) {
      same = false;
      return item;
    }
    if (old[i] !== prev) same = false;
    return prev;
  });
  return same ? (old as T[]) : kept;
}

/** Deep equality of values parsed from JSON. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => equal(v, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => k in rb && equal(ra[k], rb[k]));
}
