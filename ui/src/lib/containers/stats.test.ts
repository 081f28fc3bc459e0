import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { LiveStats, formatCpu, formatMemory } from "./stats.svelte";
import type { StatsSample } from "../../bindings";

afterEach(() => clearMocks());

const sample: StatsSample = {
  id: "abc",
  at_ms: 0,
  cpu_percent: 97.26,
  mem_usage: 8_388_608,
  mem_limit: 67_108_864,
  mem_percent: 12.5,
  net_rx: 0,
  net_tx: 0,
  block_read: 0,
  block_write: 0,
  pids: 3,
};

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
