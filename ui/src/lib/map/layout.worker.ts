// Lays the map out away from the page's thread: a big engine takes dagre longer than a frame.
import { layout } from "./layout";
import type { MapModel } from "./model";

self.onmessage = (e: MessageEvent<{ id: number; model: MapModel }>) => {
  const started = performance.now();
  const result = layout(e.data.model);
  self.postMessage({ id: e.data.id, layout: result, ms: performance.now() - started });
};
