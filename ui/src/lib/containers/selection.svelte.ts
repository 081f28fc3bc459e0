// The containers list's selection and what is done to it at once: ids (a container that goes
// away drops out of the selection by itself), select all shown, and the bulk actions, of which
// all but Start ask first.
import type { Container } from "../../bindings";
import type { ContainerActions } from "./actions.svelte";

export type Bulk = "Start" | "Stop" | "Restart" | "Remove";

export class Selection {
  #ids = $state<Set<string>>(new Set());
  /** A bulk action waiting for the user's yes, with the containers it would act on. */
  confirming = $state<{ verb: Bulk; targets: Container[] } | null>(null);

  constructor(private actions: ContainerActions) {}

  has(c: Container): boolean {
    return this.#ids.has(c.id);
  }

  /** The selected containers among `items` (the ones that still exist). */
  of(items: Container[]): Container[] {
    return items.filter((c) => this.#ids.has(c.id));
  }

  /** Whether every one of `shown` is selected (and there is one). */
  all(shown: Container[]): boolean {
    return shown.length > 0 && shown.every((c) => this.#ids.has(c.id));
  }

  set(c: Container, on: boolean): void {
    const next = new Set(this.#ids);
    if (on) next.add(c.id);
    else next.delete(c.id);
    this.#ids = next;
  }

  /** Select every one of `shown`, or nothing. */
  setAll(shown: Container[], on: boolean): void {
    this.#ids = on ? new Set(shown.map((c) => c.id)) : new Set();
  }

  /** `verb` on `targets`: Start at once, anything else after the user confirms. */
  ask(verb: Bulk, targets: Container[]): void {
    if (verb === "Start") void this.run(verb, targets);
    else this.confirming = { verb, targets };
  }

  /** Do it (the user confirmed); removed containers leave the selection. */
  async run(verb: Bulk, targets: Container[]): Promise<void> {
    this.confirming = null;
    await this.actions.many(verb, targets);
    if (verb === "Remove") this.#ids = new Set();
  }
}
