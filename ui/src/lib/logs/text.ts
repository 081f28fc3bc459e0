// A log line as the view draws it and as copy and save write it, and what the status line says.
import { parseAnsi, type Style } from "./ansi";
import { highlight, type Matcher, type Piece } from "./search";
import type { Entry } from "./lines";
import type { LogSession } from "./session.svelte";

/** Characters of one line drawn at most; copy and save keep the whole line. */
export const SHOWN = 2000;

/** The styled pieces of a line to draw: its colours, cut at `SHOWN`, matches marked. */
export function pieces(e: Entry, matcher: Matcher | null): Piece<Style>[] {
  const spans = parseAnsi(e.text.length > SHOWN * 4 ? e.text.slice(0, SHOWN * 4) : e.text);
  let left = SHOWN;
  const cut: typeof spans = [];
  for (const s of spans) {
    if (left <= 0) break;
    cut.push(s.text.length > left ? { ...s, text: s.text.slice(0, left) } : s);
    left -= s.text.length;
  }
  return highlight(cut, matcher ? matcher.ranges(e.plain.slice(0, SHOWN)) : []);
}

/** `2026-11-28T09:30:00.123456789Z` as `2026-11-28 09:30:00.123`. */
export function shortTs(ts: string): string {
  return ts.replace("T", " ").replace(/(\.\d{3})\d*Z$/, "$1").replace(/Z$/, "");
}

/** A line as copied or saved: its timestamp and source when shown, its text without styles.
 * `label` names a source (a container; Berth's own markers have source -1). */
export function asText(e: Entry, opts: { timestamps: boolean; sources: boolean; label: (source: number) => string }): string {
  const parts = [];
  if (opts.timestamps && e.ts) parts.push(e.ts);
  if (opts.sources) parts.push(`${opts.label(e.source)} |`);
  parts.push(e.stream === "Marker" ? `--- ${opts.label(e.source)} ${e.plain} ---` : e.plain);
  return parts.join(" ");
}

/** What the status line says about the reading of `title` (of `count` containers). */
export function stateText(s: LogSession, title: string, count: number, scrolledUp = false): string {
  if (s.error) return `Cannot read the log: ${s.error.message}`;
  switch (s.phase) {
    case "opening":
    case "tail":
      return "Reading…";
    case "following":
      // New lines still arrive, but the view no longer moves to them.
      return scrolledUp ? "Paused (scrolled up)" : "Following";
    case "stopped":
      return count === 1 ? `${title} is not running: following resumes when it starts` : "None of them is running: following resumes when one starts";
    case "lost":
      return `The engine went away (${s.lostReason}): following resumes when it is back`;
    case "failed":
      return Object.values(s.failures)[0]?.message ?? "The log cannot be read";
  }
}
