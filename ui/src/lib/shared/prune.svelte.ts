// A prune as Berth does it: find what would go, show exactly that, remove only what was shown
// (each only if still unused), and say what happened to each.
import type { EngineError, Removal } from "../../bindings";

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: EngineError };

export class Prune<T> {
  /** What would be removed, while the user is asked; null when not asking. */
  shown = $state<T[] | null>(null);
  loading = $state(false);
  running = $state(false);
  error = $state<EngineError | null>(null);
  /** What the last prune did to each. */
  results = $state<Removal[] | null>(null);

  constructor(
    private find: () => Promise<Result<T[]>>,
    readonly nameOf: (t: T) => string,
    private remove: (names: string[]) => Promise<Result<Removal[]>>,
  ) {}

  /** Find what would go and show it. */
  async ask(): Promise<void> {
    this.loading = true;
    this.error = null;
    this.results = null;
    const res = await this.find();
    this.loading = false;
    if (res.status === "ok") this.shown = res.data;
    else this.error = res.error;
  }

  cancel(): void {
    this.shown = null;
  }

  /** Remove what was shown. */
  async confirm(): Promise<void> {
    const names = (this.shown ?? []).map(this.nameOf);
    this.shown = null;
    if (names.length === 0) return;
    this.running = true;
    const res = await this.remove(names);
    this.running = false;
    if (res.status === "ok") this.results = res.data;
    else this.error = res.error;
  }
}

/** "Removed 2 networks: a, b. Kept c: it has containers attached." */
export function describeRemovals(results: Removal[], noun: string): string {
  const plural = (n: number) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const done = results.filter((r) => !r.error).map((r) => r.name);
  const kept = results.filter((r) => r.error);
  const parts = [done.length ? `Removed ${plural(done.length)}: ${done.join(", ")}.` : `Removed no ${noun}s.`];
  for (const k of kept) parts.push(`Kept ${k.name}: ${k.error!.message}.`);
  return parts.join(" ");
}
