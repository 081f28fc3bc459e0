// Image pulls in progress and how they ended. A pull keeps running while the user looks
// elsewhere; the Images view shows them all.
import { Channel } from "@tauri-apps/api/core";
import { commands, type EngineError, type PullProgress } from "../../bindings";
import { formatBytes } from "../shared/format";

export type Pull = {
  reference: string;
  progress: PullProgress | null;
  state: "pulling" | "done" | "failed";
  error: EngineError | null;
};

export class Pulls {
  list = $state<Pull[]>([]);

  /** Pull `reference` (`docker pull`); resolves when it ended, however it ended. */
  async start(reference: string): Promise<Pull> {
    const text = reference.trim();
    const existing = this.list.find((p) => p.reference === text && p.state === "pulling");
    if (existing) return existing;
    this.list = [{ reference: text, progress: null, state: "pulling", error: null }, ...this.list.filter((p) => p.reference !== text)];
    // The proxied entry, so changes to it reach the view.
    const pull = this.list[0];
    const channel = new Channel<PullProgress>();
    channel.onmessage = (p) => (pull.progress = p);
    const res = await commands.pullImage(text, channel);
    if (res.status === "ok") {
      pull.reference = res.data;
      pull.state = "done";
    } else {
      pull.state = "failed";
      pull.error = res.error;
    }
    return pull;
  }

  dismiss(pull: Pull): void {
    this.list = this.list.filter((p) => p !== pull);
  }
}

/** "Downloading 3.1 of 7.5 MB, 1 of 2 layers", or the engine's last word. */
export function describe(p: Pull): string {
  if (p.state === "done") return `Pulled ${p.reference}`;
  if (p.state === "failed") return p.error?.message ?? `could not pull ${p.reference}`;
  const g = p.progress;
  if (!g) return `Pulling ${p.reference}…`;
  const [current, total] = [g.current ?? 0, g.total ?? 0];
  const size = total > 0 ? `, ${formatBytes(current)} of ${formatBytes(total)}` : "";
  const layers = g.layers > 0 ? `, ${g.layers_done} of ${g.layers} layers` : "";
  return `Pulling ${p.reference}${size}${layers}`;
}
