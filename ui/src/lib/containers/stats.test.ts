import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { LiveStats, RETRY_MS, StatsHistory, formatCpu, formatMemory, niceTop, topBy } from "./stats.svelte";
import type { Channel } from "@tauri-apps/api/core";
import type { StatsEvent, StatsSample } from "../../bindings";
import { pageIs, statsSample } from "../../test-fixtures";

afterEach(() => clearMocks());

const sample = statsSample();

/** The stats streams the page asks for, and the ones it stops, by their numbers from 1. */
function mockStreams() {
  const streams: Channel<StatsEvent>[] = [];
  const stopped: number[] = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === "watch_stats") return streams.push(a.onEvent as Channel<StatsEvent>);
    if (cmd === "stop_stream") stopped.push(a.id as number);
    return true;
  });
  return { streams, stopped };
}

describe("LiveStats", () => {
  it("follows one container's stream and stops it when its row goes", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === "watch_stats" ? 7 : true;
    });
    const live = new LiveStats("abc");
    await vi.waitFor(() => expect(calls.map((c) => c[0])).toEqual(["watch_stats"]));
    expect((calls[0][1] as { id: string }).id).toBe("abc");
    live.stop();
    await vi.waitFor(() => expect(calls.at(-1)).toEqual(["stop_stream", { id: 7 }]));
  });

  it("asks again a while after the engine ended a stream with an error, and not after a stop", async () => {
    vi.useFakeTimers();
    try {
      const { streams, stopped } = mockStreams();
      const live = new LiveStats("abc");
      await vi.waitFor(() => expect(streams).toHaveLength(1));
      streams[0].onmessage({ kind: "Sample", data: sample });
      streams[0].onmessage({ kind: "Ended", data: { code: "Unreachable", message: "lost the connection" } });
      expect(live.ended?.error?.message).toBe("lost the connection");
      expect(live.ended?.error?.code).toBe("Unreachable");

      await vi.advanceTimersByTimeAsync(RETRY_MS - 1);
      expect(streams).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(streams).toHaveLength(2));
      // Why it stopped stays until a reading comes; a late word from the old stream is ignored.
      streams[0].onmessage({ kind: "Sample", data: { ...sample, cpu_percent: 1 } });
      expect(live.ended).not.toBeNull();
      streams[1].onmessage({ kind: "Sample", data: { ...sample, cpu_percent: 2 } });
      expect(live.ended).toBeNull();
      expect(live.latest?.cpu_percent).toBe(2);

      // A container that stopped is not asked for again.
      streams[1].onmessage({ kind: "Ended", data: null });
      await vi.advanceTimersByTimeAsync(RETRY_MS * 3);
      expect(streams).toHaveLength(2);
      // Nor is one whose row went while a retry was waiting.
      live.again();
      await vi.waitFor(() => expect(streams).toHaveLength(3));
      streams[2].onmessage({ kind: "Ended", data: { code: "Unreachable", message: "again" } });
      live.stop();
      await vi.advanceTimersByTimeAsync(RETRY_MS * 3);
      expect(streams).toHaveLength(3);
      expect(stopped).toEqual([1, 2, 3]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("measures nothing while the page is hidden in the tray, and again once it shows", async () => {
    const { streams, stopped } = mockStreams();
    try {
      const live = new LiveStats("abc");
      await vi.waitFor(() => expect(streams).toHaveLength(1));
      streams[0].onmessage({ kind: "Sample", data: sample });
      pageIs("hidden");
      await vi.waitFor(() => expect(stopped).toEqual([1]));
      expect(live.latest).toBeNull();
      expect(live.ended).toBeNull();
      // Made while hidden (a row drawn by a list update), it waits too.
      const later = new LiveStats("def");
      await new Promise((r) => setTimeout(r, 10));
      expect(streams).toHaveLength(1);

      pageIs("visible");
      await vi.waitFor(() => expect(streams).toHaveLength(3));
      streams[1].onmessage({ kind: "Sample", data: { ...sample, cpu_percent: 5 } });
      expect(live.latest?.cpu_percent).toBe(5);
      live.stop();
      later.stop();
      pageIs("hidden");
      pageIs("visible");
      await new Promise((r) => setTimeout(r, 10));
      expect(streams).toHaveLength(3);
      expect(stopped.sort()).toEqual([1, 2, 3]);
    } finally {
      pageIs("visible");
    }
  });

  it("writes CPU and memory as a row shows them", () => {
    expect(formatCpu(sample)).toBe("97%");
    expect(formatCpu({ ...sample, cpu_percent: 0.42 })).toBe("0.4%");
    const m = formatMemory(sample);
    expect(m.full).toContain("(12.5%)");
    expect(m.full.startsWith(m.short)).toBe(true);
  });
});

describe("StatsHistory", () => {
  it("keeps the last five minutes, oldest first", () => {
    const h = new StatsHistory();
    for (let t = 0; t <= 400; t += 100) h.push({ ...sample, at_ms: t * 1000, cpu_percent: t, mem_usage: t * 2 });
    // 400 s now: 0 s is older than five minutes.
    expect(h.length).toBe(4);
    expect(h.cpu()).toEqual([[100, 200, 300, 400], [100, 200, 300, 400]]);
    expect(h.memory()[1]).toEqual([200, 400, 600, 800]);
  });
});

describe("charts", () => {
  it("scale to a round top", () => {
    expect(niceTop(97)).toBe(100);
    expect(niceTop(130)).toBe(200);
    expect(niceTop(3_100_000)).toBe(5_000_000);
    expect(niceTop(0)).toBe(1);
  });
});

describe("topBy", () => {
  it("ranks the containers still listed by CPU or memory, five at most", () => {
    const samples = new Map<string, StatsSample>();
    const names = new Map<string, string>();
    for (let i = 0; i < 7; i++) {
      samples.set(`c${i}`, { ...sample, id: `c${i}`, cpu_percent: i * 10, mem_usage: 700 - i * 100 });
      names.set(`c${i}`, `name-${i}`);
    }
    names.delete("c6");
    expect(topBy(samples, names, "cpu").map((t) => t.name)).toEqual(["name-5", "name-4", "name-3", "name-2", "name-1"]);
    expect(topBy(samples, names, "memory", 2).map((t) => t.name)).toEqual(["name-0", "name-1"]);
  });

  it("ranks ties by name in natural order", () => {
    const idle = ["web-10", "Web-9", "db"];
    const samples = new Map(idle.map((n) => [n, { ...sample, id: n, cpu_percent: 0 }] as const));
    const names = new Map(idle.map((n) => [n, n] as const));
    expect(topBy(samples, names, "cpu").map((t) => t.name)).toEqual(["db", "Web-9", "web-10"]);
  });
});
