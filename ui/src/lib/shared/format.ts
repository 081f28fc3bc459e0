// Pure display helpers shared by every list.

/** The 12-character id the docker CLI shows. */
export function shortId(id: string): string {
  const bare = id.startsWith("sha256:") ? id.slice(7) : id;
  return bare.slice(0, 12);
}

const UNITS = ["B", "kB", "MB", "GB", "TB"];

/** Bytes in the docker CLI's decimal units: 1.2 GB, 5.6 MB, 512 B. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "–";
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  let text = v.toFixed(digits);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return `${text} ${UNITS[u]}`;
}

/** Digit runs are compared by value: each is padded to this many digits in a sort key. */
const DIGITS = 20;
const ZEROS = "0".repeat(DIGITS);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `text` with each run of digits stripped of leading zeros and padded to `DIGITS` digits. */
function padRuns(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    let from = i;
    while (i < text.length && !isDigit(text.charCodeAt(i))) i++;
    out += text.slice(from, i);
    if (i === text.length) break;
    // Leading zeros go, but a run of zeros keeps its last one.
    while (text.charCodeAt(i) === 48 && i + 1 < text.length && isDigit(text.charCodeAt(i + 1))) i++;
    from = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    const run = text.slice(from, i);
    out += run.length < DIGITS ? ZEROS.slice(run.length) + run : run;
  }
  return out;
}

/**
 * A key whose plain string order is natural order, case aside: "web-2" before "web-10". Docker's
 * names are ASCII (containers `[a-zA-Z0-9][a-zA-Z0-9_.-]*`, image references and compose projects
 * likewise), so plain code-point order after lower-casing is the right order for them, and no
 * ICU collator is needed (`Intl.Collator` and `localeCompare` cost the page memory; see
 * docs/performance.md).
 */
export function naturalKey(name: string): string {
  // A loop, not a regular expression calling back per run: lists of 10,000 are keyed on start.
  return padRuns(name.toLowerCase());
}

/** Plain code-point order, for sorting by keys from `naturalKey`. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `items` sorted in natural order of `by`'s names, the first name deciding first. Each item's keys
 * are made once (a comparison of two made keys is native string order), so sorting 500 names
 * costs what the collator did.
 */
export function sortNaturally<T>(items: readonly T[], ...by: ((item: T) => string)[]): T[] {
  const keyed = items.map((item) => {
    const names = by.map((f) => f(item));
    return { item, names, keys: names.map(naturalKey) };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < by.length; i++) {
      const order = compareStrings(a.keys[i], b.keys[i]) || compareStrings(a.names[i], b.names[i]);
      if (order) return order;
    }
    return 0;
  });
  return keyed.map((k) => k.item);
}

/** A filter's words, lower-cased: each must appear for an item to match. */
export function queryWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** Case-insensitive "every word appears in one of the fields". */
export function matchesQuery(query: string, ...fields: (string | null | undefined)[]): boolean {
  const words = queryWords(query);
  if (words.length === 0) return true;
  const hay = fields.filter(Boolean).join("\u0000").toLowerCase();
  return words.every((w) => hay.includes(w));
}

/**
 * How long ago (or until) a time (ISO, or ms since the epoch) is from `now` (ms), as people say it: "just now",
 * "12 seconds ago", "3 minutes ago", "2 hours ago", "5 days ago", "in 2 minutes"; "never" for
 * the engine's zero time or nothing.
 */
export function relativeTime(when: string | number | null | undefined, now: number): string {
  const at = typeof when === "number" ? when : when ? Date.parse(when) : NaN;
  // The engine says "0001-01-01T00:00:00Z" for a time that never came.
  if (Number.isNaN(at) || at <= 0) return "never";
  const seconds = Math.round((now - at) / 1000);
  const size = Math.abs(seconds);
  if (size < 5) return "just now";
  const units: [number, string][] = [
    [365 * 86400, "year"],
    [30 * 86400, "month"],
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  const [span, unit] = units.find(([s]) => size >= s)!;
  const n = Math.floor(size / span);
  const said = `${n} ${unit}${n === 1 ? "" : "s"}`;
  return seconds >= 0 ? `${said} ago` : `in ${said}`;
}
