// Volumes as the list manages them: sizes measured by the engine (asked apart from the list, as
// the engine walks every volume for them), removal asked first and naming the volume, and the
// two prunes: unused anonymous volumes, or, after a second confirmation naming each one, every
// unused volume.
import { commands, type EngineError, type Volume } from "../../bindings";
import { Prune } from "../shared/prune.svelte";

export class VolumeActions {
  /** Volume name -> bytes, once measured. */
  sizes = $state<Record<string, number>>({});
  measuring = $state(false);
  sizeError = $state<EngineError | null>(null);
  confirming = $state<Volume | null>(null);
  busy = $state<Record<string, boolean>>({});
  errors = $state<Record<string, EngineError>>({});

  readonly prune = new Prune<Volume>(() => commands.volumePruneCandidates(false), (v) => v.name, commands.pruneVolumes);
  readonly pruneAll = new Prune<Volume>(() => commands.volumePruneCandidates(true), (v) => v.name, commands.pruneVolumes);
  /** "All unused" was confirmed once; the named volumes among them are being confirmed again. */
  namedStep = $state(false);

  async measure(): Promise<void> {
    if (this.measuring) return;
    this.measuring = true;
    const res = await commands.volumeSizes();
    this.measuring = false;
    if (res.status === "ok") {
      this.sizes = Object.fromEntries(res.data.map((s) => [s.name, s.bytes]));
      this.sizeError = null;
    } else {
      this.sizeError = res.error;
    }
  }

  async remove(v: Volume): Promise<void> {
    this.confirming = null;
    this.busy[v.name] = true;
    delete this.errors[v.name];
    const res = await commands.removeVolume(v.name);
    delete this.busy[v.name];
    if (res.status === "error") this.errors[v.name] = res.error;
  }

  dismiss(name: string): void {
    delete this.errors[name];
  }

  /** The first confirmation of "all unused": go on to name the named ones, if there are any. */
  async confirmAllOnce(): Promise<void> {
    const named = (this.pruneAll.shown ?? []).filter((v) => !v.anonymous);
    if (named.length === 0) await this.pruneAll.confirm();
    else this.namedStep = true;
  }

  async confirmNamed(): Promise<void> {
    this.namedStep = false;
    await this.pruneAll.confirm();
  }

  cancelAll(): void {
    this.namedStep = false;
    this.pruneAll.cancel();
  }
}
