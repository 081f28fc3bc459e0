// The lines a log view keeps: the newest `capacity`, older ones dropped and counted. Lines are
// kept as the batches they came in (one string of texts, one of timestamps after what the batch's
// timestamps share, and where each line ends) rather than as an object per line: 100,000 kept
// lines are then a few hundred strings, not half a million objects, and the page's memory does
// not climb with every log opened.
// A line object is made only when asked for (a row on screen, a copy). Every line keeps a
// sequence number that never repeats, so a row or a match can name a line that may since have
// been dropped.
import type { LineBatch } from "../../bindings";
import { plainText, SPECIAL_IN_LINES } from "./ansi";

export type Entry = {
  source: number;
  /** `Marker` for the lines Berth adds (a restart, the engine coming back). */
  stream: "Out" | "Err" | "Marker";
  ts: string;
  /** As the container wrote it, escape sequences and all. */
  text: string;
  /** Without escape sequences: what search and copy see. */
  plain: string;
};

type Chunk = {
  /** Sequence number of the chunk's first line. */
  seq: number;
  count: number;
  text: string;
  /** What every timestamp of the chunk begins with; `ts` holds the rest of each. */
  stamped: string;
  ts: string;
  /** Where each line's text ends (the index of its `\n`), and its timestamp's. */
  ends: Int32Array;
  tsEnds: Int32Array;
  /** `o`, `e` or `m` (a marker) per line. */
  streams: string;
  source: number;
  sources: number[] | null;
  /** No escape or control character anywhere: each line's plain text is its text. */
  clean: boolean;
};

/** Chunks smaller than this are joined with the next ones (a slow log arrives a line at a time). */
const SMALL = 256;
/** Small chunks at the end are joined once there are this many. */
const GATHER = 16;

function newlines(s: string, count: number): Int32Array {
  const ends = new Int32Array(count);
  let at = -1;
  for (let i = 0; i < count; i++) {
    at = s.indexOf("\n", at + 1);
    if (at < 0) throw new RangeError(`a batch said ${count} lines but holds ${i}`);
    ends[i] = at;
  }
  return ends;
}

/** Line `i` of a chunk's joined `text` (or `ts`), given where its lines end. */
function lineOf(joined: string, ends: Int32Array, i: number): string {
  return joined.slice(i === 0 ? 0 : ends[i - 1] + 1, ends[i]);
}

export class Lines {
  #chunks: Chunk[] = [];
  /** Index of the oldest chunk still holding kept lines. */
  #head = 0;
  #firstSeq = 0;
  #nextSeq = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
  }

  /** How many lines were dropped to make room (or cleared). */
  get dropped(): number {
    return this.#firstSeq;
  }
  get length(): number {
    return this.#nextSeq - this.#firstSeq;
  }
  /** Sequence number of the oldest line kept. */
  get firstSeq(): number {
    return this.#firstSeq;
  }
  /** Sequence number the next line will get. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** Add a batch as the backend sent it. */
  pushBatch(b: LineBatch): void {
    const count = b.streams.length;
    if (count === 0) return;
    this.#add({
      seq: this.#nextSeq,
      count,
      text: b.text,
      stamped: b.stamped,
      ts: b.ts,
      ends: newlines(b.text, count),
      tsEnds: newlines(b.ts, count),
      streams: b.streams,
      source: b.source,
      sources: b.sources,
      clean: !SPECIAL_IN_LINES.test(b.text),
    });
  }

  /** Add a line of Berth's own (a restart, the engine coming back). */
  pushMarker(source: number, ts: string, text: string): void {
    const line = text.replaceAll("\n", " ");
    this.#add({
      seq: this.#nextSeq,
      count: 1,
      text: line + "\n",
      stamped: "",
      ts: ts + "\n",
      ends: Int32Array.of(line.length),
      tsEnds: Int32Array.of(ts.length),
      streams: "m",
      source,
      sources: null,
      clean: !SPECIAL_IN_LINES.test(line),
    });
  }

  #add(c: Chunk) {
    this.#chunks.push(c);
    this.#nextSeq += c.count;
    this.#gather();
    this.#trim();
  }

  /** Join the small chunks at the end into one once they are many or hold enough lines, all
   *  at once: joined one by one, each line would be copied again with every batch after it. */
  #gather() {
    let from = this.#chunks.length;
    let lines = 0;
    while (from > this.#head && this.#chunks[from - 1].count < SMALL) lines += this.#chunks[--from].count;
    const run = this.#chunks.length - from;
    if (run < 2 || (run < GATHER && lines < SMALL)) return;
    this.#chunks.splice(from, run, joinAll(this.#chunks.slice(from)));
  }

  #trim() {
    const first = Math.max(this.#firstSeq, this.#nextSeq - this.capacity);
    this.#firstSeq = first;
    while (this.#head < this.#chunks.length) {
      const c = this.#chunks[this.#head];
      if (c.seq + c.count > first) break;
      this.#head++;
    }
    // Let go of the dropped chunks now and then, not on every batch.
    if (this.#head > 64 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }

  #find(seq: number): Chunk | undefined {
    if (seq < this.#firstSeq || seq >= this.#nextSeq) return undefined;
    let lo = this.#head;
    let hi = this.#chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#chunks[mid].seq <= seq) lo = mid;
      else hi = mid - 1;
    }
    return this.#chunks[lo];
  }

  /** The line with sequence number `seq`, if it is still kept. */
  bySeq(seq: number): Entry | undefined {
    const c = this.#find(seq);
    if (!c) return undefined;
    const i = seq - c.seq;
    const text = lineOf(c.text, c.ends, i);
    const ts = c.stamped + lineOf(c.ts, c.tsEnds, i);
    const kind = c.streams[i];
    return {
      source: c.sources ? c.sources[i] : c.source,
      stream: kind === "m" ? "Marker" : kind === "e" ? "Err" : "Out",
      ts,
      text,
      plain: c.clean ? text : plainText(text),
    };
  }

  /** The line at position `i` (0 = oldest kept). */
  at(i: number): Entry | undefined {
    return this.bySeq(this.#firstSeq + i);
  }

  /** Call `visit` with the plain text of every kept container line from `from` on (markers
   *  are not searched); no line object is made. */
  eachPlain(from: number, visit: (seq: number, plain: string) => void): void {
    this.eachLine(from, true, (seq, _source, plain) => plain !== null && visit(seq, plain));
  }

  /** Call `visit` with the source of every kept line from `from` on and, when `withPlain`, its
   *  plain text ("" when not asked for; `null` for a marker); no line object is made. */
  eachLine(from: number, withPlain: boolean, visit: (seq: number, source: number, plain: string | null) => void): void {
    let seq = Math.max(from, this.#firstSeq);
    while (seq < this.#nextSeq) {
      const c = this.#find(seq)!;
      for (let i = seq - c.seq; i < c.count; i++, seq++) {
        const source = c.sources ? c.sources[i] : c.source;
        if (c.streams[i] === "m") visit(seq, source, null);
        else if (!withPlain) visit(seq, source, "");
        else {
          const text = lineOf(c.text, c.ends, i);
          visit(seq, source, c.clean ? text : plainText(text));
        }
      }
    }
  }

  toArray(): Entry[] {
    const out: Entry[] = [];
    for (let seq = this.#firstSeq; seq < this.#nextSeq; seq++) out.push(this.bySeq(seq)!);
    return out;
  }

  clear(): void {
    this.#firstSeq = this.#nextSeq;
    this.#chunks = [];
    this.#head = 0;
  }
}

/** A chunk's timestamps after `shared` (a start of its `stamped`), each followed by `\n`, and
 *  where each ends. */
function restOfStamps(c: Chunk, shared: string): { ts: string; ends: Int32Array } {
  const more = c.stamped.slice(shared.length);
  if (more === "") return { ts: c.ts, ends: c.tsEnds };
  const ts = Array.from({ length: c.count }, (_, i) => more + lineOf(c.ts, c.tsEnds, i) + "\n").join("");
  return { ts, ends: newlines(ts, c.count) };
}

/** `ends` of each part in turn, each moved on by the length of the parts before it. */
function joinEnds(parts: { ends: Int32Array; length: number }[], count: number): Int32Array {
  const out = new Int32Array(count);
  let [at, by] = [0, 0];
  for (const p of parts) {
    for (let i = 0; i < p.ends.length; i++) out[at + i] = p.ends[i] + by;
    at += p.ends.length;
    by += p.length;
  }
  return out;
}

/** Consecutive chunks as one (their lines in order), each string made once. */
function joinAll(parts: Chunk[]): Chunk {
  const first = parts[0];
  const count = parts.reduce((n, c) => n + c.count, 0);
  let stamped = first.stamped;
  for (const c of parts) {
    let n = 0;
    while (n < stamped.length && stamped[n] === c.stamped[n]) n++;
    stamped = stamped.slice(0, n);
  }
  const stamps = parts.map((c) => restOfStamps(c, stamped));
  const mixed = parts.some((c) => c.sources !== null || c.source !== first.source);
  return {
    seq: first.seq,
    count,
    text: parts.map((c) => c.text).join(""),
    stamped,
    ts: stamps.map((t) => t.ts).join(""),
    ends: joinEnds(parts.map((c) => ({ ends: c.ends, length: c.text.length })), count),
    tsEnds: joinEnds(stamps.map((t) => ({ ends: t.ends, length: t.ts.length })), count),
    streams: parts.map((c) => c.streams).join(""),
    source: first.source,
    sources: mixed ? parts.flatMap((c) => (c.sources ? c.sources : Array<number>(c.count).fill(c.source))) : null,
    clean: parts.every((c) => c.clean),
  };
}
