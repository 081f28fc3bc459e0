// Search in a log as it grows: the query (plain or a regular expression, with or without case),
// the sequence numbers of the kept lines that match (kept current as lines arrive and the oldest
// drop out), which match is current, and the rows shown when only matching lines are, or when
// the lines of some sources (the containers of a project) are hidden.
import { compile, type Matcher } from "./search";
import type { Lines } from "./lines";

/** Index of the first of the ascending `seqs` at or after `seq`. */
function indexOf(seqs: number[], seq: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqs[mid] < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class LogFinder {
  query = $state("");
  regex = $state(false);
  caseSensitive = $state(false);
  onlyMatching = $state(false);
  /** Sources whose lines are not shown (nor searched). */
  hidden = $state<ReadonlySet<number>>(new Set());
  compiled = $derived(compile({ text: this.query, regex: this.regex, caseSensitive: this.caseSensitive }));
  matcher = $derived<Matcher | null>(this.compiled.ok ? this.compiled.matcher : null);
  /** Sequence numbers of the kept lines that match, in order. */
  matches = $state<number[]>([]);
  /** The index in `matches` of the current one; -1 when none. */
  current = $state(-1);
  /** Only some lines are rows: the matching ones, or those of the sources shown. */
  filtering = $derived((this.onlyMatching && this.matcher !== null) || this.hidden.size > 0);
  /** With sources hidden (and not only matching lines), the sequence numbers of the rows. */
  #shown = $state<number[]>([]);
  /** The sequence numbers of the rows when filtering, in order. */
  #rowSeqs(): number[] {
    return this.onlyMatching && this.matcher !== null ? this.matches : this.#shown;
  }

  /** Show or hide the lines of `source`. */
  toggle(source: number, shown: boolean): void {
    const next = new Set(this.hidden);
    if (shown) next.delete(source);
    else next.add(source);
    this.hidden = next;
  }

  /** Show the lines of every source, or of none (`count` sources in all). */
  showEvery(count: number, shown: boolean): void {
    this.hidden = new Set(shown ? [] : Array.from({ length: count }, (_, i) => i));
  }

  /** The lines from `from` on that match and that are rows. */
  #scan(ring: Lines, from: number): { found: number[]; rows: number[] } {
    const m = this.matcher;
    const hidden = this.hidden;
    const only = this.onlyMatching && m !== null;
    const found: number[] = [];
    const rows: number[] = [];
    if (!m && hidden.size === 0) return { found, rows };
    const hiding = hidden.size > 0;
    ring.eachLine(from, m !== null, (seq, source, plain) => {
      if (hiding && hidden.has(source)) return;
      const hit = m !== null && plain !== null && m.test(plain);
      if (hit) found.push(seq);
      if (hiding && !only) rows.push(seq);
    });
    return { found, rows };
  }

  /** Look through every kept line again (the query, the hidden sources or the log changed). */
  rescan(ring: Lines | null): void {
    const { found, rows } = ring ? this.#scan(ring, ring.firstSeq) : { found: [], rows: [] };
    this.matches = found;
    this.#shown = rows;
    this.current = found.length ? found.length - 1 : -1;
  }

  /** Lines from `fromSeq` on arrived (and the oldest may have dropped out of `ring`). */
  appended(ring: Lines, fromSeq: number): void {
    if (!this.matcher && !this.filtering) return;
    const { found, rows } = this.#scan(ring, fromSeq);
    const dropped = indexOf(this.matches, ring.firstSeq);
    if (found.length || dropped) {
      this.matches = dropped ? [...this.matches.slice(dropped), ...found] : [...this.matches, ...found];
      // Until the user picks one, the newest match is the current one.
      this.current = this.current < 0 ? this.matches.length - 1 : Math.max(0, this.current - dropped);
    }
    const gone = indexOf(this.#shown, ring.firstSeq);
    if (rows.length || gone) this.#shown = gone ? [...this.#shown.slice(gone), ...rows] : [...this.#shown, ...rows];
  }

  /** How many rows there are: every kept line, or the ones shown. */
  rows(ring: Lines | null): number {
    return this.filtering ? this.#rowSeqs().length : (ring?.length ?? 0);
  }

  /** The sequence number of row `row`. */
  seqAt(ring: Lines, row: number): number {
    return this.filtering ? this.#rowSeqs()[row] : ring.firstSeq + row;
  }

  /** Move to the next (1) or previous (-1) match, round the end; the row it is on, or null. */
  step(ring: Lines, by: 1 | -1): number | null {
    if (this.matches.length === 0) return null;
    this.current = (this.current + by + this.matches.length) % this.matches.length;
    const seq = this.matches[this.current];
    return this.filtering ? indexOf(this.#rowSeqs(), seq) : seq - ring.firstSeq;
  }

  /** What the match count says. */
  get summary(): string {
    if (!this.compiled.ok) return `Invalid pattern: ${this.compiled.error}`;
    return this.matches.length ? `${this.current + 1} of ${this.matches.length}` : "No matches";
  }
}
