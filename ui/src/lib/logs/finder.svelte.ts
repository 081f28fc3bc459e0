// Search in a log as it grows: the query (plain or a regular expression, with or without case),
// the sequence numbers of the kept lines that match (kept current as lines arrive and the oldest
// drop out), which match is current, and the rows shown when only matching lines are.
import { compile, type Matcher } from "./search";
import type { Lines } from "./lines";

export class LogFinder {
  query = $state("");
  regex = $state(false);
  caseSensitive = $state(false);
  onlyMatching = $state(false);
  compiled = $derived(compile({ text: this.query, regex: this.regex, caseSensitive: this.caseSensitive }));
  matcher = $derived<Matcher | null>(this.compiled.ok ? this.compiled.matcher : null);
  /** Sequence numbers of the kept lines that match, in order. */
  matches = $state<number[]>([]);
  /** The index in `matches` of the current one; -1 when none. */
  current = $state(-1);
  /** Only the matching lines are rows. */
  filtering = $derived(this.onlyMatching && this.matcher !== null);

  /** Look through every kept line again (the query or the log changed). */
  rescan(ring: Lines | null): void {
    const m = this.matcher;
    if (!ring || !m) {
      this.matches = [];
      this.current = -1;
      return;
    }
    const found: number[] = [];
    ring.eachPlain(ring.firstSeq, (seq, plain) => m.test(plain) && found.push(seq));
    this.matches = found;
    this.current = found.length ? found.length - 1 : -1;
  }

  /** Lines from `fromSeq` on arrived (and the oldest may have dropped out of `ring`). */
  appended(ring: Lines, fromSeq: number): void {
    const m = this.matcher;
    if (!m) return;
    const added: number[] = [];
    ring.eachPlain(fromSeq, (seq, plain) => m.test(plain) && added.push(seq));
    let dropped = 0;
    while (dropped < this.matches.length && this.matches[dropped] < ring.firstSeq) dropped++;
    if (added.length || dropped) {
      this.matches = dropped ? [...this.matches.slice(dropped), ...added] : [...this.matches, ...added];
      // Until the user picks one, the newest match is the current one.
      this.current = this.current < 0 ? this.matches.length - 1 : Math.max(0, this.current - dropped);
    }
  }

  /** How many rows there are: every kept line, or the matching ones. */
  rows(ring: Lines | null): number {
    return this.filtering ? this.matches.length : (ring?.length ?? 0);
  }

  /** The sequence number of row `row`. */
  seqAt(ring: Lines, row: number): number {
    return this.filtering ? this.matches[row] : ring.firstSeq + row;
  }

  /** Move to the next (1) or previous (-1) match, round the end; the row it is on, or null. */
  step(ring: Lines, by: 1 | -1): number | null {
    if (this.matches.length === 0) return null;
    this.current = (this.current + by + this.matches.length) % this.matches.length;
    return this.filtering ? this.current : this.matches[this.current] - ring.firstSeq;
  }

  /** What the match count says. */
  get summary(): string {
    if (!this.compiled.ok) return `Invalid pattern: ${this.compiled.error}`;
    return this.matches.length ? `${this.current + 1} of ${this.matches.length}` : "No matches";
  }
}
