// Images as the list manages them: sizes from the engine's disk usage (asked apart from the
// list), removal asked first and naming the tags, the containers that use it and the images
// built on it, and the two prunes (dangling, or every unused image) with the space each frees.
import { Channel } from "@tauri-apps/api/core";
import { commands, type ByteProgress, type EngineError, type Image, type ImageUsage } from "../../bindings";
import { formatBytes } from "../shared/format";
import { Prune } from "../shared/prune.svelte";
import { refOf } from "./present";

export class ImageActions {
  /** Image id -> its size and the part shared with other images. */
  usage = $state<Record<string, ImageUsage>>({});
  measuring = $state(false);
  usageError = $state<EngineError | null>(null);
  confirming = $state<Image | null>(null);
  busy = $state<Record<string, boolean>>({});
  errors = $state<Record<string, EngineError>>({});
  /** Bytes the last prune freed. */
  freed = $state<number | null>(null);
  /** What the last removal, save or load did, in words. */
  said = $state<string | null>(null);
  /** A save or load in progress: what, and how far. */
  moving = $state<{ what: string; progress: ByteProgress | null } | null>(null);
  movingError = $state<EngineError | null>(null);

  #prune = async (ids: string[]) => {
    const res = await commands.pruneImages(ids);
    if (res.status === "error") return res;
    this.freed = res.data.freed;
    return { status: "ok" as const, data: res.data.removals };
  };
  readonly prune = new Prune<Image>(() => commands.imagePruneCandidates(false), (i) => i.id, this.#prune);
  readonly pruneAll = new Prune<Image>(() => commands.imagePruneCandidates(true), (i) => i.id, this.#prune);

  async measure(): Promise<void> {
    if (this.measuring) return;
    this.measuring = true;
    const res = await commands.imageUsage();
    this.measuring = false;
    if (res.status === "ok") {
      this.usage = Object.fromEntries(res.data.map((u) => [u.id, u]));
      this.usageError = null;
    } else {
      this.usageError = res.error;
    }
  }

  /** What removing `images` frees, as far as the engine's last report tells. */
  frees(images: Image[]): number | null {
    let sum = 0;
    for (const i of images) {
      const u = this.usage[i.id];
      if (!u) return null;
      sum += u.unique;
    }
    return sum;
  }

  /** Remove `image` with all its tags; `force` after the containers using it were confirmed. */
  async remove(image: Image, force: boolean): Promise<void> {
    this.confirming = null;
    this.busy[image.id] = true;
    delete this.errors[image.id];
    const res = await commands.removeImage(image.id, force);
    delete this.busy[image.id];
    if (res.status === "error") this.errors[image.id] = res.error;
    else this.said = `Removed ${refOf(image)}.`;
  }

  /** `docker save` of `refs` to a file the user chooses. */
  async save(refs: string[]): Promise<void> {
    this.said = null;
    this.movingError = null;
    this.moving = { what: `Saving ${refs.join(", ")}`, progress: null };
    const channel = new Channel<ByteProgress>();
    channel.onmessage = (p) => this.moving && (this.moving.progress = p);
    const res = await commands.saveImages(refs, channel);
    this.moving = null;
    if (res.status === "error") this.movingError = res.error;
    else if (res.data) this.said = `Saved ${refs.join(", ")} to ${res.data}.`;
  }

  /** `docker load` of a file the user chooses. */
  async load(): Promise<void> {
    this.said = null;
    this.movingError = null;
    this.moving = { what: "Loading", progress: null };
    const channel = new Channel<ByteProgress>();
    channel.onmessage = (p) => this.moving && (this.moving.progress = p);
    const res = await commands.loadImages(channel);
    this.moving = null;
    if (res.status === "error") this.movingError = res.error;
    else if (res.data) this.said = `Loaded ${res.data.join(", ")}.`;
  }

  dismiss(id: string): void {
    delete this.errors[id];
  }
}

/** "Saving app:1, 3 MB of 7.5 MB". */
export function describeMove(m: { what: string; progress: ByteProgress | null }): string {
  const p = m.progress;
  if (!p || !p.done) return `${m.what}…`;
  return `${m.what}, ${formatBytes(p.done ?? 0)} of ${formatBytes(p.total ?? 0)}`;
}
