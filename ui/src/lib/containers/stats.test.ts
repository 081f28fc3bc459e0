import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { LiveStats, StatsHistory, formatCpu, formatMemory, linePoints, niceTop, topBy } from "./stats.svelte";
import type { StatsSample } from "../../bindings";
import { statsSample } from "../../test-fixtures";

afterEach(() => clearMocks());

const sample = statsSample();

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
  it("place the newest sample at the right edge and scale to a round top", () => {
    expect(linePoints([100, 250, 400], [0, 50, 100], 400, 300, 100, 300, 100)).toBe("0.0,100.0 150.0,50.0 300.0,0.0");
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
});
