import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { LogEvent } from "../../bindings";
import { batchOf, type TestLine } from "./batch.testing";
import { LogSession } from "./session.svelte";

let channel: Channel<LogEvent> | null;
let stopped: number[];
let asked: Record<string, unknown>[];
let acks: [number, number][];
/** When set, follow_logs answers only once this resolves. */
let hold: Promise<void> | null;

beforeEach(() => {
  channel = null;
  stopped = [];
  asked = [];
  acks = [];
  hold = null;
  mockIPC(async (cmd, args) => {
    if (cmd === "follow_logs") {
      const a = args as Record<string, unknown> & { onEvent: Channel<LogEvent> };
      channel = a.onEvent;
      asked.push({ containers: a.containers, tail: a.tail, since: a.since, keep: a.keep });
      if (hold) await hold;
      return 7;
    }
    if (cmd === "ack_logs") {
      const a = args as { stream: number; batches: number };
      acks.push([a.stream, a.batches]);
      return null;
    }
    if (cmd === "stop_stream") {
      stopped.push((args as { id: number }).id);
      return true;
    }
    return null;
  });
});

afterEach(() => clearMocks());

const line = (text: string, stream: "Out" | "Err" = "Out", source = 0): TestLine => ({
  source,
  stream,
  ts: "2026-11-28T09:30:00.000000001Z",
  text,
});

function send(e: LogEvent) {
  channel!.onmessage(e);
}

describe("LogSession", () => {
  it("adds everything that arrived between two frames in one update", async () => {
    const frames: (() => void)[] = [];
    const s = new LogSession(["c1"], { tail: 1000, since: null, capacity: 5 }, (run) => frames.push(run));
    await s.open();
    expect(asked).toEqual([{ containers: ["c1"], tail: 1000, since: null, keep: 5 }]);
    for (let i = 0; i < 4; i++) send({ kind: "Lines", data: batchOf([line(`a${i}`), line(`b${i}`, "Err")]) });
    expect(frames).toHaveLength(1);
    expect(s.ring.length).toBe(0);
    frames[0]();
    expect(s.version).toBe(1);
    expect(s.ring.toArray().map((e) => e.text)).toEqual(["b1", "a2", "b2", "a3", "b3"]);
    expect(s.ring.dropped).toBe(3);
    expect(s.ring.at(0)!.stream).toBe("Err");
  });

  it("draws a few times a second while the start is read, and a busy followed log a few frames apart", async () => {
    let now = 1000;
    vi.spyOn(performance, "now").mockImplementation(() => now);
    const frames: (() => void)[] = [];
    const frame = () => frames.splice(0).forEach((f) => f());
    const s = new LogSession(["c1"], { tail: 100, since: null, capacity: 100 }, (run) => frames.push(run));
    const drawn: number[] = [];
    s.onAppend((from) => drawn.push(from));
    await s.open();
    expect(s.phase).toBe("tail");
    send({ kind: "Lines", data: batchOf([line("a"), line("b")]) });
    frame();
    expect([s.version, drawn]).toEqual([1, [0]]);
    // Taken in and acknowledged, so reading goes on, but not drawn yet.
    now += 100;
    send({ kind: "Lines", data: batchOf([line("c")]) });
    frame();
    now += 100;
    send({ kind: "Lines", data: batchOf([line("d")]) });
    frame();
    expect([s.ring.length, s.version, drawn]).toEqual([4, 1, [0]]);
    expect(acks).toEqual([[7, 1], [7, 1], [7, 1]]);
    // A quarter of a second on, what waited is drawn from its first line.
    now += 60;
    send({ kind: "Lines", data: batchOf([line("e")]) });
    frame();
    expect([s.version, drawn]).toEqual([2, [0, 2]]);
    now += 10;
    send({ kind: "Lines", data: batchOf([line("f")]) });
    frame();
    expect(s.version).toBe(2);
    // The end of what was asked for draws at once.
    send({ kind: "Following" });
    frame();
    expect([s.version, drawn]).toEqual([3, [0, 2, 5]]);
    expect(acks).toHaveLength(5);
    // Lines in the next frames wait for the 50 ms since that drawing, with nothing more arriving,
    // and are acknowledged as they are drawn: what the backend has meanwhile comes in one message.
    now += 20;
    send({ kind: "Lines", data: batchOf([line("g")]) });
    frame();
    now += 20;
    frame();
    expect([s.ring.length, s.version, acks.length]).toEqual([7, 3, 5]);
    now += 10;
    frame();
    expect([s.version, drawn]).toEqual([4, [0, 2, 5, 6]]);
    expect(acks.slice(5)).toEqual([[7, 1]]);
    // Nothing left to draw: no more frames are asked for.
    frame();
    expect(frames).toHaveLength(0);
    // A line after a pause is drawn in its first frame.
    now += 1000;
    send({ kind: "Lines", data: batchOf([line("h")]) });
    frame();
    expect([s.version, drawn]).toEqual([5, [0, 2, 5, 6, 7]]);
    vi.restoreAllMocks();
  });

  it("keeps the plain text for search, and marks restarts and the engine's return", async () => {
    const frames: (() => void)[] = [];
    const s = new LogSession(["c1"], { tail: 10, since: null, capacity: 100 }, (run) => frames.push(run));
    await s.open();
    send({ kind: "Lines", data: batchOf([line("\x1b[31mred\x1b[0m")]) });
    send({ kind: "Following" });
    expect(s.phase).toBe("following");
    send({ kind: "Stopped", data: { source: 0 } });
    expect(s.phase).toBe("stopped");
    send({ kind: "Restarted", data: { source: 0, ts: "2026-11-28T09:31:00Z" } });
    expect(s.phase).toBe("following");
    send({ kind: "EngineLost", data: { message: "gone" } });
    expect([s.phase, s.lostReason]).toEqual(["lost", "gone"]);
    send({ kind: "EngineBack" });
    frames.forEach((f) => f());
    const entries = s.ring.toArray();
    expect(entries.map((e) => [e.stream, e.plain])).toEqual([
      ["Out", "red"],
      ["Marker", "restarted"],
      ["Marker", "the engine is back: following again"],
    ]);
    expect(entries[0].text).toBe("\x1b[31mred\x1b[0m");
  });

  it("stops its backend stream on close and ignores what still arrives", async () => {
    const frames: (() => void)[] = [];
    const s = new LogSession(["c1", "c2"], { tail: null, since: 1700000000, capacity: 10 }, (run) => frames.push(run));
    await s.open();
    s.close();
    expect(stopped).toEqual([7]);
    send({ kind: "Lines", data: batchOf([line("late")]) });
    expect(frames).toHaveLength(0);
    expect(s.ring.length).toBe(0);
  });

  it("acknowledges the batches it showed after their frame, and counts what was left out", async () => {
    const frames: (() => void)[] = [];
    const s = new LogSession(["c1"], { tail: 10, since: null, capacity: 100 }, (run) => frames.push(run));
    await s.open();
    send({ kind: "Lines", data: batchOf([line("a")]) });
    send({ kind: "Skipped", data: { count: 40 } });
    send({ kind: "Lines", data: batchOf([line("b")]) });
    await Promise.resolve();
    expect(acks).toEqual([]);
    frames.shift()!();
    await Promise.resolve();
    expect(acks).toEqual([[7, 2]]);
    expect(s.skipped).toBe(40);
    expect(s.ring.toArray().map((e) => e.text)).toEqual(["a", "b"]);
    // Markers alone are not batches.
    send({ kind: "Following" });
    frames.forEach((f) => f());
    expect(acks).toEqual([[7, 2]]);
  });

  it("acknowledges what it showed before its stream's id arrived", async () => {
    const frames: (() => void)[] = [];
    const s = new LogSession(["c1"], { tail: 10, since: null, capacity: 100 }, (run) => frames.push(run));
    let answer!: () => void;
    hold = new Promise((r) => (answer = r));
    const opening = s.open();
    await new Promise((r) => setTimeout(r));
    send({ kind: "Lines", data: batchOf([line("early")]) });
    frames.shift()!();
    expect(acks).toEqual([]);
    answer();
    await opening;
    expect(acks).toEqual([[7, 1]]);
  });

  it("says when every container failed", async () => {
    const s = new LogSession(["c1"], { tail: 10, since: null, capacity: 10 }, () => {});
    await s.open();
    send({ kind: "Failed", data: { source: 0, error: { code: "NotFound", message: "the container was removed" } } });
    expect(s.phase).toBe("failed");
  });
});
