// The live resource use of one container on screen: a stats stream from the backend that lives
// as long as its row (or chart) does.
import { Channel } from "@tauri-apps/api/core";
import { commands, type StatsSample } from "../../bindings";
import { OwnedStream } from "../shared/stream";
import { formatBytes } from "../shared/format";

export class LiveStats {
  latest = $state.raw<StatsSample | null>(null);
  #stream = new OwnedStream();

  constructor(id: string, onsample?: (s: StatsSample) => void) {
    const channel = new Channel<StatsSample>();
    channel.onmessage = (s) => {
      this.latest = s;
      onsample?.(s);
    };
    void commands.watchStats(id, channel).then((res) => {
      if (res.status === "ok") this.#stream.adopt(res.data);
    });
  }

  stop(): void {
    this.#stream.close();
  }
}

/** "12.3%", one CPU being 100%. */
export function formatCpu(s: StatsSample): string {
  const cpu = s.cpu_percent ?? 0;
  return `${cpu < 10 ? cpu.toFixed(1) : Math.round(cpu)}%`;
}

/** "45.6 MB", and the limit and share for a tooltip. */
export function formatMemory(s: StatsSample): { short: string; full: string } {
  return { short: formatBytes(s.mem_usage), full: `${formatBytes(s.mem_usage)} of ${formatBytes(s.mem_limit)} (${(s.mem_percent ?? 0).toFixed(1)}%)` };
}
