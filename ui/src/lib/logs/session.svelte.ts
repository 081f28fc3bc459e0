// One open log view: the backend stream, the lines it delivered (a bounded ring), and what the
// view shows about the stream's state. Lines arriving between two frames are added in one go at
// the next animation frame, so a firehose costs at most one update per frame, not one per line.
// Each batch is acknowledged once its frame ran (a followed log's, once it is drawn): the backend
// sends no more until then, so the page never falls behind the log; what it could not show in
// time, the backend leaves out and counts.
import { Channel } from "@tauri-apps/api/core";
import { commands, type EngineError, type LineBatch, type LogEvent } from "../../bindings";
import { OwnedStream } from "../shared/stream";
import { Lines } from "./lines";

export type { Entry } from "./lines";

/** A container whose log is read: a project's are titled by the project, by service each. */
export type LogTarget = { id: string; name: string; project?: string | null; service?: string | null };

type Pending = LineBatch | { marker: string; source: number; ts: string };

export type Phase = "opening" | "tail" | "following" | "stopped" | "lost" | "failed";

export type Options = {
  /** Last N lines, or null for the whole log. */
  tail: number | null;
  /** Unix seconds, or null. */
  since: number | null;
  capacity: number;
};

export const TAILS: { label: string; value: number | null }[] = [
  { label: "100 lines", value: 100 },
  { label: "1,000 lines", value: 1000 },
  { label: "10,000 lines", value: 10000 },
  { label: "All", value: null },
];

export const DEFAULT_CAPACITY = 100_000;

type Scheduler = (run: () => void) => void;
/** How often (ms) a view is drawn while the start of its log is read. */
const SHOW_WHILE_READING = 250;
/** How often (ms) at most a followed log is drawn: each drawing repaints the whole view. */
const SHOW_WHILE_FOLLOWING = 50;
const nextFrame: Scheduler = (run) => void requestAnimationFrame(run);

export class LogSession {
  readonly ring: Lines;
  /** Bumped each time lines were added: what the view derives from. */
  version = $state(0);
  phase = $state<Phase>("opening");
  /** Which of the sources stopped (waiting for a restart) or failed. */
  stopped = $state<Record<number, true>>({});
  failures = $state<Record<number, EngineError>>({});
  lostReason = $state<string | null>(null);
  /** Lines the backend left out because newer ones came faster than they were shown. */
  skipped = $state(0);
  error = $state<EngineError | null>(null);

  /** Lines kept, as of the last drawing. */
  get kept(): number {
    void this.version;
    return this.ring.length;
  }
  /** Older lines dropped to keep the newest, or left out, as of the last drawing. */
  get dropped(): number {
    void this.version;
    return this.ring.dropped + this.skipped;
  }

  #pending: Pending[] = [];
  #scheduled = false;
  #stream = new OwnedStream();
  /** Batches received and shown but not yet acknowledged. */
  #unacked = 0;
  #listeners: ((from: number) => void)[] = [];
  /** The first line taken in but not yet drawn, if any. */
  #unshownFrom: number | null = null;
  #shownAt = -Infinity;
  /** Whether the last drawing was while the start of the log was read. */
  #shownReading = false;

  constructor(
    readonly ids: string[],
    readonly options: Options,
    private schedule: Scheduler = nextFrame,
  ) {
    this.ring = new Lines(options.capacity);
  }

  /** Called after each batch with the sequence number of the first new entry. */
  onAppend(listener: (from: number) => void): () => void {
    this.#listeners.push(listener);
    return () => (this.#listeners = this.#listeners.filter((l) => l !== listener));
  }

  async open(): Promise<void> {
    const channel = new Channel<LogEvent>();
    channel.onmessage = (event) => this.#receive(event);
    const res = await commands.followLogs(
      this.ids,
      this.options.tail,
      this.options.since,
      this.options.capacity,
      channel,
    );
    if (res.status === "error") {
      this.error = res.error;
      this.phase = "failed";
      return;
    }
    if (!this.#stream.adopt(res.data)) return;
    if (this.phase === "opening") this.phase = "tail";
    // Batches may have arrived (and been shown) before the stream's id did.
    if (!this.#scheduled) this.#ack();
  }

  #ack() {
    const id = this.#stream.id;
    if (id === null || this.#unacked === 0) return;
    void commands.ackLogs(id, this.#unacked);
    this.#unacked = 0;
  }

  /** Stop the backend stream; nothing arrives after this. */
  close(): void {
    this.#stream.close();
  }

  #marker(source: number, ts: string, text: string) {
    this.#pending.push({ marker: text, source, ts });
  }

  #receive(event: LogEvent) {
    if (this.#stream.closed) return;
    switch (event.kind) {
      case "Lines":
        this.#pending.push(event.data);
        this.#unacked++;
        break;
      case "Skipped":
        this.skipped += event.data.count;
        break;
      case "Following":
        this.phase = "following";
        break;
      case "Stopped":
        this.stopped[event.data.source] = true;
        if (Object.keys(this.stopped).length + Object.keys(this.failures).length >= this.ids.length) this.phase = "stopped";
        break;
      case "Restarted":
        delete this.stopped[event.data.source];
        this.phase = "following";
        this.#marker(event.data.source, event.data.ts, "restarted");
        break;
      case "EngineLost":
        this.lostReason = event.data.message;
        this.phase = "lost";
        break;
      case "EngineBack":
        if (this.phase === "lost") {
          this.lostReason = null;
          this.phase = "following";
          this.#marker(-1, "", "the engine is back: following again");
        }
        break;
      case "Failed":
        this.failures[event.data.source] = event.data.error;
        if (Object.keys(this.failures).length >= this.ids.length) this.phase = "failed";
        break;
    }
    this.#kick();
  }

  #kick() {
    if (this.#scheduled || (this.#pending.length === 0 && this.#unshownFrom === null)) return;
    this.#scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Move what arrived into the ring (called once per frame), then ask for more. */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0 && this.#unshownFrom === null) return;
    const t = performance.now();
    this.#unshownFrom ??= this.ring.nextSeq;
    for (const p of this.#pending) {
      if ("marker" in p) this.ring.pushMarker(p.source, p.ts, p.marker);
      else this.ring.pushBatch(p);
    }
    this.#pending = [];
    // While what was asked for is still being read, the view is drawn a few times a second
    // rather than every frame: drawing would take the cores the engine reads the log with. The
    // end of what was asked for is drawn at once; a busy followed log, a few frames apart.
    const reading = this.phase === "opening" || this.phase === "tail";
    const wait = reading ? SHOW_WHILE_READING : this.#shownReading ? 0 : SHOW_WHILE_FOLLOWING;
    const draw = t - this.#shownAt >= wait;
    if (draw) {
      const from = this.#unshownFrom;
      this.#unshownFrom = null;
      this.#shownAt = t;
      this.#shownReading = reading;
      this.version++;
      for (const l of this.#listeners) l(from);
    }
    // A followed log is acknowledged as it is drawn, so the backend sends what came meanwhile in
    // one message rather than a few lines per frame; a read start is acknowledged every frame.
    if (reading || draw) this.#ack();
    // What is not drawn yet is drawn by a later frame, whether or not more arrives.
    this.#kick();
  }
}
