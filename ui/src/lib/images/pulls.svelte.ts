// Image pulls and pushes in progress and how they ended. A transfer keeps running while the
// user looks elsewhere; the Images view shows them all, layer by layer, and can stop one.
import { Channel } from "@tauri-apps/api/core";
import { commands, type EngineError, type LayerProgress, type PullProgress } from "../../bindings";
import { formatBytes } from "../shared/format";

export type Pull = {
  reference: string;
  /** A push rather than a pull. */
  push: boolean;
  progress: PullProgress | null;
  state: "pulling" | "done" | "failed" | "cancelled";
  error: EngineError | null;
};

export class Pulls {
  list = $state<Pull[]>([]);

  /** Pull (or push) `reference`; resolves when it ended, however it ended. */
  async start(reference: string, push = false): Promise<Pull> {
    const text = reference.trim();
    const existing = this.list.find((p) => p.reference === text && p.push === push && p.state === "pulling");
    if (existing) return existing;
    const others = this.list.filter((p) => p.reference !== text || p.push !== push);
    this.list = [{ reference: text, push, progress: null, state: "pulling", error: null }, ...others];
    // The proxied entry, so changes to it reach the view.
    const pull = this.list[0];
    const channel = new Channel<PullProgress>();
    channel.onmessage = (p) => (pull.progress = p);
    const res = push ? await commands.pushImage(text, channel) : await commands.pullImage(text, channel);
    if (res.status === "ok") {
      pull.reference = res.data;
      pull.state = "done";
    } else {
      pull.state = res.error.code === "Cancelled" ? "cancelled" : "failed";
      pull.error = res.error;
    }
    return pull;
  }

  /** Stop a transfer: the engine drops what it had not finished. */
  async cancel(pull: Pull): Promise<void> {
    await commands.cancelTransfer(pull.reference, pull.push);
  }

  dismiss(pull: Pull): void {
    this.list = this.list.filter((p) => p !== pull);
  }
}

/** The registry a reference names (`127.0.0.1:5001`), or Docker Hub's `docker.io`. */
export function registryOf(reference: string): string {
  const first = reference.split("/")[0];
  const isHost = reference.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return isHost ? first : "docker.io";
}

/** "Pulling app, 3.1 MB of 7.5 MB, 1 of 2 layers", or how it ended. */
export function describe(p: Pull): string {
  const [verb, past, noun] = p.push ? ["Pushing", "Pushed", "push"] : ["Pulling", "Pulled", "pull"];
  if (p.state === "done") return `${past} ${p.reference}`;
  if (p.state === "cancelled") return `Stopped the ${noun} of ${p.reference}`;
  if (p.state === "failed") return p.error?.message ?? `could not ${noun} ${p.reference}`;
  const g = p.progress;
  if (!g) return `${verb} ${p.reference}…`;
  // What a short name stands for: `busybox` is docker.io/library/busybox:latest.
  const full = g.resolved && g.resolved !== p.reference ? ` (${g.resolved})` : "";
  const [current, total] = [g.current ?? 0, g.total ?? 0];
  const size = total > 0 ? `, ${formatBytes(current)} of ${formatBytes(total)}` : "";
  const layers = g.layers.length > 0 ? `, ${g.layers_done} of ${g.layers.length} layers` : "";
  return `${verb} ${p.reference}${full}${size}${layers}`;
}

const PHASES: Record<LayerProgress["phase"], string> = {
  waiting: "waiting",
  transferring: "",
  verifying: "verifying",
  extracting: "extracting",
  done: "done",
};

/** One layer, as "3f4a9b2c1d0e downloading 1.2 MB of 3 MB". */
export function describeLayer(l: LayerProgress, push: boolean): string {
  const [current, total] = [l.current ?? 0, l.total ?? 0];
  const bytes = total > 0 ? ` ${formatBytes(current)} of ${formatBytes(total)}` : "";
  if (l.phase === "transferring") return `${l.id} ${push ? "pushing" : "downloading"}${bytes}`;
  if (l.phase === "extracting") return `${l.id} extracting${bytes}`;
  return `${l.id} ${PHASES[l.phase]}`;
}
