import { afterEach, describe, expect, it, vi } from "vitest";
import type { Network } from "../../bindings";
import { container } from "../../test-fixtures";
import { buildMap, containerId, describeMap, networkId, split } from "./model";
import { Layouts } from "./layouts.svelte";
import { columns, layered, layout, type Layout } from "./layout";
import type { MapModel } from "./model";

const net = (name: string, over: Partial<Network> = {}): Network => ({
  id: `id-${name}`,
  name,
  driver: "bridge",
  scope: "local",
  subnets: [],
  gateways: [],
  internal: false,
  attachable: false,
  ipv6: false,
  built_in: ["bridge", "host", "none"].includes(name),
  containers: 0,
  running: 0,
  project: null,
  ...over,
});

const NETS = [net("bridge"), net("host"), net("none"), net("foodtrucks"), net("shop_default", { project: "shop" })];
const es = container(1, { name: "es", networks: ["foodtrucks"], ports: [{ ip: "127.0.0.1", private_port: 5000, public_port: 5000, protocol: "tcp" }] });
const web = container(2, { name: "web", networks: ["bridge", "foodtrucks"], state: "exited", up: false });
const api = container(3, { name: "shop-api-1", networks: ["shop_default"], project: "shop" });

afterEach(() => vi.unstubAllGlobals());

/** A layout worker that answers in order when told, or fails, in place of the real one. */
function queuedWorker() {
  const asked: { id: number; models: MapModel[] }[] = [];
  let made: Queued | undefined;
  class Queued {
    onmessage: ((e: MessageEvent) => void) | null = null;
    onerror: ((e: Event) => void) | null = null;
    constructor() {
      made = this;
    }
    postMessage(data: { id: number; models: MapModel[] }) {
      asked.push(data);
    }
    answer() {
      const { id, models } = asked.shift()!;
      this.onmessage?.({ data: { id, layouts: models.map(layout), ms: 0 } } as MessageEvent);
    }
    fail() {
      this.onerror?.(new Event("error", { cancelable: true }));
    }
    terminate() {}
  }
  vi.stubGlobal("Worker", Queued);
  return { asked, worker: () => made! };
}

describe("the map model", () => {
  it("draws a container on two networks once, joined to both", () => {
    const m = buildMap([es, web, api], NETS);
    const ids = m.nodes.map((n) => n.id);
    expect(ids.filter((id) => id === containerId(web.id))).toHaveLength(1);
    expect(m.edges.filter((e) => e.from === containerId(web.id)).map((e) => e.to).sort()).toEqual([networkId("bridge"), networkId("foodtrucks")]);
    // Unused built-in networks are left out; the rest are drawn.
    expect(ids).not.toContain(networkId("host"));
    expect(ids).toContain(networkId("bridge"));
    const node = m.nodes.find((n) => n.id === containerId(es.id));
    expect(node?.kind === "container" && node.ports).toEqual(["127.0.0.1:5000→5000/tcp"]);
  });

  it("groups a compose project's containers and networks", () => {
    const m = buildMap([es, web, api], NETS);
    expect(m.groups).toEqual([{ id: "p:shop", project: "shop", members: [networkId("shop_default"), containerId(api.id)] }]);
  });

  it("focuses on one project or one network", () => {
    const p = buildMap([es, web, api], NETS, { kind: "project", name: "shop" });
    expect(p.nodes.map((n) => n.name).sort()).toEqual(["shop-api-1", "shop_default"]);
    const n = buildMap([es, web, api], NETS, { kind: "network", name: "foodtrucks" });
    expect(n.nodes.map((x) => x.name).sort()).toEqual(["bridge", "es", "foodtrucks", "web"]);
  });

  it("keeps its structure key while only states change, and changes it when wiring does", () => {
    const before = buildMap([es, web, api], NETS);
    const stopped = buildMap([{ ...es, state: "exited", up: false }, web, api], NETS);
    expect(stopped.structure).toBe(before.structure);
    const rewired = buildMap([{ ...es, networks: ["foodtrucks", "bridge"] }, web, api], NETS);
    expect(rewired.structure).not.toBe(before.structure);
    expect(buildMap([es, web], NETS).structure).not.toBe(before.structure);
  });

  it("says the picture in words", () => {
    const lines = describeMap(buildMap([es, web, api], NETS, { kind: "network", name: "foodtrucks" }));
    expect(lines).toContain("Network foodtrucks (bridge): es (running, 127.0.0.1:5000→5000/tcp), web (exited)");
  });

  it("lays out every node, edge and group without overlaps between nodes", () => {
    const m = buildMap([es, web, api], NETS);
    const l = layout(m);
    for (const n of m.nodes) expect(l.nodes[n.id].width).toBeGreaterThan(0);
    const boxes = Object.values(l.nodes);
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
    const g = l.groups["p:shop"];
    const inside = l.nodes[containerId(api.id)];
    expect(inside.x >= g.x && inside.x + inside.width <= g.x + g.width).toBe(true);
  });

  it("lays out again only the part whose wiring changed; the others keep their places", async () => {
    const layouts = new Layouts();
    const parts = split(buildMap([es, web, api], NETS));
    expect(parts.map((p) => p.nodes.map((n) => n.name).sort())).toEqual([
      ["bridge", "es", "foodtrucks", "web"],
      ["shop-api-1", "shop_default"],
    ]);
    const first = await layouts.of(buildMap([es, web, api], NETS));
    expect(layouts.laidOut).toBe(2);
    await layouts.of(buildMap([{ ...es, state: "exited", up: false }, web, api], NETS));
    expect(layouts.laidOut).toBe(2);
    const worker = container(4, { name: "shop-worker-1", networks: ["shop_default"], project: "shop" });
    const second = await layouts.of(buildMap([es, web, api, worker], NETS));
    expect(layouts.laidOut).toBe(3);
    for (const id of [containerId(es.id), containerId(web.id), networkId("foodtrucks")]) expect(second.nodes[id]).toEqual(first.nodes[id]);
  });

  it("answers the newest ask whole though an older ask, answered first, dropped a part it uses", async () => {
    const { asked, worker } = queuedWorker();
    const layouts = new Layouts();
    const first = layouts.of(buildMap([es, web, api], NETS));
    worker().answer();
    await first;
    // An older ask without the foodtrucks part as it was, then the newest with it and a new shop part.
    const older = layouts.of(buildMap([{ ...es, networks: ["foodtrucks", "shop_default"] }, web], NETS));
    const shopWorker = container(4, { name: "shop-worker-1", networks: ["shop_default"], project: "shop" });
    const newest = layouts.of(buildMap([es, web, api, shopWorker], NETS));
    await vi.waitFor(() => expect(asked).toHaveLength(2));
    worker().answer();
    await older;
    worker().answer();
    const shown = await newest;
    for (const c of [es, web, api, shopWorker]) expect(shown.nodes[containerId(c.id)]).toBeDefined();
  });

  it("lays out in place what waits when the worker fails", async () => {
    const { asked, worker } = queuedWorker();
    const layouts = new Layouts();
    const shown = layouts.of(buildMap([es, web, api], NETS));
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    worker().fail();
    const l = await shown;
    for (const c of [es, web, api]) expect(l.nodes[containerId(c.id)]).toBeDefined();
  });

  it("keeps every part where it was: new parts go below, a shrunk part leaves a gap, a grown one makes room", async () => {
    const layouts = new Layouts();
    const shopNodes = [containerId(api.id), networkId("shop_default")];
    const first = await layouts.of(buildMap([es, web, api], NETS));
    const top = (l: typeof first, ids: string[]) => Math.min(...ids.map((id) => l.nodes[id].y));
    expect(top(first, shopNodes)).toBeGreaterThan(top(first, [containerId(es.id)]));

    // web goes (and the default bridge with it): the shop part stays put.
    const shrunk = await layouts.of(buildMap([es, api], NETS));
    for (const id of shopNodes) expect(shrunk.nodes[id]).toEqual(first.nodes[id]);

    // A new part sorts first by name but is placed below the others.
    const lone = container(5, { name: "lone", networks: ["aaa"] });
    const nets = [...NETS, net("aaa")];
    const added = await layouts.of(buildMap([es, api, lone], nets));
    for (const id of [...shopNodes, containerId(es.id)]) expect(added.nodes[id]).toEqual(shrunk.nodes[id]);
    expect(added.nodes[containerId(lone.id)].y).toBeGreaterThanOrEqual(added.nodes[containerId(api.id)].y + 40);

    // The first part grows past the gap: the shop part moves down just enough, in one piece.
    const many = Array.from({ length: 12 }, (_, i) => container(10 + i, { name: `truck-${i}`, networks: ["foodtrucks", `lane-${i}`] }));
    const lanes = [...nets, ...many.map((_, i) => net(`lane-${i}`))];
    const grown = await layouts.of(buildMap([es, api, lone, ...many], lanes));
    const dy = grown.nodes[shopNodes[0]].y - first.nodes[shopNodes[0]].y;
    expect(dy).toBeGreaterThan(0);
    expect(grown.nodes[shopNodes[1]].y - first.nodes[shopNodes[1]].y).toBe(dy);
    const firstPart = [containerId(es.id), networkId("foodtrucks"), ...many.map((c) => containerId(c.id))];
    const bottom = Math.max(...firstPart.map((id) => grown.nodes[id].y + grown.nodes[id].height));
    expect(top(grown, shopNodes)).toBeGreaterThanOrEqual(bottom);
  });

  it("lays a picture with no projects out in two columns, with fewer crossings than dagre", () => {
    // Twenty networks in a ring: every seventh container is on two neighbours.
    const nets = Array.from({ length: 20 }, (_, i) => net(`net-${i}`));
    const cs = Array.from({ length: 200 }, (_, i) =>
      container(i + 1, { name: `c-${i}`, networks: i % 7 === 0 ? [`net-${i % 20}`, `net-${(i + 1) % 20}`] : [`net-${i % 20}`] }),
    );
    const m = buildMap(cs, nets);
    const l = layout(m);
    expect(l).toEqual(columns(m));
    for (const n of m.nodes) expect(l.nodes[n.id], n.name).toBeDefined();
    const boxes = Object.values(l.nodes);
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
    for (const n of m.nodes) expect(l.nodes[n.id].y + l.nodes[n.id].height).toBeLessThanOrEqual(l.height);
    const crossings = (model: MapModel, lay: Layout) => {
      const ends = model.edges.map((e) => [lay.nodes[e.from].y, lay.nodes[e.to].y]);
      let x = 0;
      for (let a = 0; a < ends.length; a++) for (let b = a + 1; b < ends.length; b++) if ((ends[a][0] - ends[b][0]) * (ends[a][1] - ends[b][1]) < 0) x++;
      return x;
    };
    expect(crossings(m, l)).toBeLessThan(crossings(m, layered(m)));
  });
});
