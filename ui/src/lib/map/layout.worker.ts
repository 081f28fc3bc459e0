// Lays the map's parts out away from the page's thread: a big engine takes dagre longer than a
// frame.
import { layout } from "./layout";
import type { MapModel } from "./model";

self.onmessage = (e: MessageEvent<{ id: number; models: MapModel[] }>) => {
  const started = performance.now();
  const layouts = e.data.models.map(layout);
  self.postMessage({ id: e.data.id, layouts, ms: performance.now() - started });
};
