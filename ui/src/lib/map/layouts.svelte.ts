// Layouts for the map view: computed in a worker where there is one (the window), in place where
// there is none (unit tests); and done again only when the picture's structure changed, so a
// state change recolours nodes where they stand.
import { layout, type Layout } from "./layout";
import type { MapModel } from "./model";

type Answer = { id: number; layout: Layout; ms: number };

export class Layouts {
  #worker: Worker | null = null;
  #asks = 0;
  #waiting = new Map<number, (a: Answer) => void>();
  #last: { structure: string; layout: Layout } | null = null;
  /** How long the last layout took, in milliseconds (the map benchmark reads it). */
  lastMs = $state(0);

  constructor() {
    if (typeof Worker !== "undefined") {
      this.#worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
      this.#worker.onmessage = (e: MessageEvent<Answer>) => {
        this.#waiting.get(e.data.id)?.(e.data);
        this.#waiting.delete(e.data.id);
      };
    }
  }

  /** The layout of `model`: the last one when its structure is unchanged. */
  async of(model: MapModel): Promise<Layout> {
    if (this.#last?.structure === model.structure) return this.#last.layout;
    let answer: Answer;
    if (this.#worker) {
      const id = ++this.#asks;
      const worker = this.#worker;
      answer = await new Promise<Answer>((resolve) => {
        this.#waiting.set(id, resolve);
        // Plain data only: the model may hold Svelte proxies.
        worker.postMessage({ id, model: JSON.parse(JSON.stringify(model)) });
      });
    } else {
      const started = performance.now();
      answer = { id: 0, layout: layout(model), ms: performance.now() - started };
    }
    this.lastMs = answer.ms;
    this.#last = { structure: model.structure, layout: answer.layout };
    return answer.layout;
  }

  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
