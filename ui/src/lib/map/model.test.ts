import { describe, expect, it } from "vitest";
import type { Network } from "../../bindings";
import { container } from "../../test-fixtures";
import { buildMap, containerId, describeMap, networkId, split } from "./model";
import { Layouts } from "./layouts.svelte";
import { layout } from "./layout";

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
});
