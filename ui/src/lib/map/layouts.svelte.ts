// Layouts for the map view: each part of the picture (what shares no line or project with the
// rest) is laid out on its own, in a worker where there is one (the window) and in place where
// there is none (unit tests); a part is laid out again only when its structure changed, so a
// state change recolours nodes where they stand and a change in one part leaves the others where
// they are.
import { layout, place, type Layout } from "./layout";
import { split, type MapModel } from "./model";

type Answer = { id: number; layouts: Layout[]; ms: number };

export class Layouts {
  #worker: Worker | null = null;
  #asks = 0;
  #waiting = new Map<number, { models: MapModel[]; answered: (a: Answer) => void; failed: (e: unknown) => void }>();
  /** The last layout of each part, by its structure. */
  #parts = new Map<string, Layout>();
  /** The parts placed last: their nodes and their tops. */
  #placed: { ids: Set<string>; top: number }[] = [];
  /** How long the last layout took, in milliseconds (the map benchmark reads it). */
  lastMs = $state(0);
  /** Parts laid out so far (the unit tests read it). */
  laidOut = 0;

  constructor() {
    if (typeof Worker !== "undefined") {
      this.#worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
      this.#worker.onmessage = (e: MessageEvent<Answer>) => {
        this.#waiting.get(e.data.id)?.answered(e.data);
        this.#waiting.delete(e.data.id);
      };
      // A worker that failed (its script did not load, or a layout threw) answers nothing: lay
      // what waits out here instead, so that the map never waits for ever.
      this.#worker.onerror = (e: Event) => {
        e.preventDefault();
        const waiting = [...this.#waiting];
        this.#waiting.clear();
        for (const [id, w] of waiting) {
          try {
            w.answered({ id, layouts: w.models.map(layout), ms: 0 });
          } catch (err) {
            w.failed(err);
          }
        }
      };
    }
  }

  /** The layout of `model`, from its parts' last layouts where their structure is unchanged. */
  async of(model: MapModel): Promise<Layout> {
    const parts = split(model);
    // This ask's own layouts: an older ask answered meanwhile may drop them from the cache.
    const known = new Map<string, Layout>();
    for (const p of parts) {
      const cached = this.#parts.get(p.structure);
      if (cached) known.set(p.structure, cached);
    }
    const missing = parts.filter((p) => !known.has(p.structure));
    if (missing.length > 0) {
      let answer: Answer;
      if (this.#worker) {
        const id = ++this.#asks;
        const worker = this.#worker;
        answer = await new Promise<Answer>((answered, failed) => {
          // Plain data only: the model may hold Svelte proxies.
          const models: MapModel[] = JSON.parse(JSON.stringify(missing));
          this.#waiting.set(id, { models, answered, failed });
          worker.postMessage({ id, models });
        });
      } else {
        const started = performance.now();
        answer = { id: 0, layouts: missing.map(layout), ms: performance.now() - started };
      }
      this.laidOut += missing.length;
      this.lastMs = answer.ms;
      missing.forEach((p, i) => {
        known.set(p.structure, answer.layouts[i]);
        this.#parts.set(p.structure, answer.layouts[i]);
      });
    }
    const current = new Set(parts.map((p) => p.structure));
    for (const key of [...this.#parts.keys()]) if (!current.has(key)) this.#parts.delete(key);
    // A part is where the shown part it shares most nodes with was.
    const claimed = new Set<number>();
    const placed = place(
      parts.map((p) => {
        let best = -1;
        let most = 0;
        this.#placed.forEach((old, i) => {
          const shared = claimed.has(i) ? 0 : p.nodes.filter((n) => old.ids.has(n.id)).length;
          if (shared > most) [best, most] = [i, shared];
        });
        if (best >= 0) claimed.add(best);
        return { layout: known.get(p.structure)!, was: best >= 0 ? this.#placed[best].top : undefined };
      }),
    );
    this.#placed = parts.map((p, i) => ({ ids: new Set(p.nodes.map((n) => n.id)), top: placed.tops[i] }));
    return placed.layout;
  }

  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
