// The live resource use of one container on screen: a stats stream from the backend that lives
// as long as its row (or chart) does.
import { Channel } from "@tauri-apps/api/core";
import { commands, type EngineError, type StatsEvent, type StatsSample } from "../../bindings";
import { OwnedStream } from "../shared/stream";
import { formatBytes, sortNaturally } from "../shared/format";

/** Why a container's readings stopped: it is not running, or the engine failed (why). */
export type StatsEnd = { error: EngineError | null };

/** How long after the engine ended a running container's stream with an error it is asked again. */
export const RETRY_MS = 5_000;

export class LiveStats {
  latest = $state.raw<StatsSample | null>(null);
  /** Set once readings stopped; null while they come. After an error it stays set until they
   * come again: the stream is asked for again after `RETRY_MS`, or at once by `again()`. */
  ended = $state.raw<StatsEnd | null>(null);
  #id: string;
  #stream = new OwnedStream();
  #stopped = false;
  /** Closed while the page is hidden (in the tray): nothing is drawn, so nothing is measured. */
  #paused = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #onsample?: (s: StatsSample) => void;

  constructor(id: string, onsample?: (s: StatsSample) => void) {
    this.#id = id;
    this.#onsample = onsample;
    document.addEventListener("visibilitychange", this.#visibility);
    if (document.visibilityState === "hidden") this.#paused = true;
    else this.#open();
  }

  #open(): void {
    this.#stream.close();
    const stream = new OwnedStream();
    this.#stream = stream;
    const channel = new Channel<StatsEvent>();
    channel.onmessage = (e) => {
      if (stream !== this.#stream || stream.closed) return;
      if (e.kind === "Sample") {
        this.latest = e.data;
        this.ended = null;
        this.#onsample?.(e.data);
      } else {
        this.#end(stream, { error: e.data ?? null });
      }
    };
    void commands.watchStats(this.#id, channel).then((res) => {
      if (res.status === "ok") stream.adopt(res.data);
      else this.#end(stream, { error: res.error });
    });
  }

  #end(stream: OwnedStream, end: StatsEnd): void {
    // A stream that was stopped, or asked for again since, says nothing more.
    if (stream !== this.#stream || stream.closed) return;
    this.ended = end;
    if (end.error) this.#retry = setTimeout(() => this.again(), RETRY_MS);
  }

  #visibility = (): void => {
    if (this.#stopped) return;
    if (document.visibilityState === "hidden") {
      clearTimeout(this.#retry);
      // A container that stopped has nothing to resume.
      if (this.#paused || (this.ended && !this.ended.error)) return;
      this.#paused = true;
      this.#stream.close();
      // Shown again, the last reading would be old.
      this.latest = null;
    } else if (this.#paused) {
      this.#paused = false;
      this.#open();
    }
  };

  /** Ask for the readings again now, when they stopped. */
  again(): void {
    clearTimeout(this.#retry);
    if (this.#stopped || this.#paused || this.ended === null) return;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    document.removeEventListener("visibilitychange", this.#visibility);
    clearTimeout(this.#retry);
    this.#stream.close();
  }
}

/** Why readings stopped, in a sentence. */
export function endedText(end: StatsEnd): string {
  return end.error ? `Measuring stopped: ${end.error.message}` : "Measuring stopped: the container is not running.";
}

/** "12.3%", one CPU being 100%. */
export function formatCpu(s: StatsSample): string {
  return formatPercent(s.cpu_percent ?? 0);
}

/** A CPU share as a reading: "9.5%", "98%". */
export function formatPercent(cpu: number): string {
  return `${cpu < 10 ? cpu.toFixed(1) : Math.round(cpu)}%`;
}

/** "45.6 MB", and the limit and share for a tooltip. */
export function formatMemory(s: StatsSample): { short: string; full: string } {
  return { short: formatBytes(s.mem_usage), full: `${formatBytes(s.mem_usage)} of ${formatBytes(s.mem_limit)} (${(s.mem_percent ?? 0).toFixed(1)}%)` };
}

/** Network or block I/O as `docker stats` writes it ("1.2 MB / 0 B"), and in words for a tooltip. */
export function formatIo(s: StatsSample, kind: "net" | "block"): { short: string; full: string } {
  const [a, b] = kind === "net" ? [s.net_rx, s.net_tx] : [s.block_read, s.block_write];
  const [x, y] = kind === "net" ? ["received", "sent"] : ["read", "written"];
  return { short: `${formatBytes(a)} / ${formatBytes(b)}`, full: `${formatBytes(a)} ${x}, ${formatBytes(b)} ${y}` };
}

/** The samples of the last `windowMs` (5 minutes by default), oldest first, as chart series. */
export class StatsHistory {
  #samples: StatsSample[] = [];
  constructor(readonly windowMs = 5 * 60_000) {}

  push(s: StatsSample): void {
    this.#samples.push(s);
    const from = s.at_ms - this.windowMs;
    let drop = 0;
    while (drop < this.#samples.length && this.#samples[drop].at_ms < from) drop++;
    if (drop) this.#samples.splice(0, drop);
  }

  get length(): number {
    return this.#samples.length;
  }

  /** [seconds since the epoch, CPU %] for a chart. */
  cpu(): [number[], number[]] {
    return [this.#samples.map((s) => s.at_ms / 1000), this.#samples.map((s) => s.cpu_percent ?? 0)];
  }

  /** [seconds since the epoch, bytes in use] for a chart. */
  memory(): [number[], number[]] {
    return [this.#samples.map((s) => s.at_ms / 1000), this.#samples.map((s) => s.mem_usage)];
  }
}

/** A round top for a chart's scale at or above `max` (1, 2 or 5 times a power of ten). */
export function niceTop(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p;
}

/** The `n` containers using the most of `by`, highest first (ties by name). */
export function topBy(samples: Map<string, StatsSample>, names: Map<string, string>, by: "cpu" | "memory", n = 5): { id: string; name: string; sample: StatsSample }[] {
  const value = (s: StatsSample) => (by === "cpu" ? (s.cpu_percent ?? 0) : s.mem_usage);
  const listed = [...samples.entries()].filter(([id]) => names.has(id)).map(([id, sample]) => ({ id, name: names.get(id) ?? id, sample }));
  // A stable sort keeps ties in the names' natural order.
  return sortNaturally(listed, (t) => t.name)
    .sort((a, b) => value(b.sample) - value(a.sample))
    .slice(0, n);
}
