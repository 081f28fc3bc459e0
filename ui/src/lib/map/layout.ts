// Where each node of the map goes: a layered layout (dagre), containers on the left joined to
// their networks on the right, each compose project boxed around its members. Containers with the
// same project and the same networks are stacked in one card, so dagre places a few dozen cards
// rather than hundreds of containers (its crossing reduction grows fast with nodes); each
// container keeps its own row and its own edges.
import dagre from "@dagrejs/dagre";
import type { ContainerNode, MapModel } from "./model";

export type Box = { x: number; y: number; width: number; height: number };
export type Layout = {
  /** Every node's box: a container's is its row in its card. */
  nodes: Record<string, Box>;
  /** The cards containers are stacked in. */
  cards: Box[];
  groups: Record<string, Box>;
  width: number;
  height: number;
};

export const NETWORK = { width: 180, height: 44 };
export const ROW = { width: 200, height: 40 };

/** Containers that share a project and a set of networks: one card. */
export function cards(model: MapModel): ContainerNode[][] {
  const nets = new Map<string, string[]>();
  for (const e of model.edges) nets.set(e.from, [...(nets.get(e.from) ?? []), e.to]);
  const byKey = new Map<string, ContainerNode[]>();
  for (const n of model.nodes) {
    if (n.kind !== "container") continue;
    const key = `${n.project ?? ""}|${(nets.get(n.id) ?? []).sort().join(",")}`;
    byKey.set(key, [...(byKey.get(key) ?? []), n]);
  }
  return [...byKey.values()].map((list) => list.sort((a, b) => a.name.localeCompare(b.name)));
}

export function layout(model: MapModel): Layout {
  const g = new dagre.graphlib.Graph({ compound: model.groups.length > 0 });
  g.setGraph({ rankdir: "LR", nodesep: 16, ranksep: 140, marginx: 24, marginy: 24, ranker: "longest-path" });
  g.setDefaultEdgeLabel(() => ({}));
  const stacks = cards(model);
  const cardOf = new Map<string, string>();
  for (const group of model.groups) g.setNode(group.id, { paddingTop: 24 });
  for (const n of model.nodes) if (n.kind === "network") g.setNode(n.id, { ...NETWORK });
  stacks.forEach((list, i) => {
    const id = `card:${i}`;
    g.setNode(id, { width: ROW.width, height: ROW.height * list.length });
    for (const c of list) cardOf.set(c.id, id);
  });
  for (const group of model.groups) {
    for (const m of group.members) g.setParent(cardOf.get(m) ?? m, group.id);
  }
  for (const e of model.edges) {
    const from = cardOf.get(e.from)!;
    if (!g.hasEdge(from, e.to)) g.setEdge(from, e.to);
  }
  dagre.layout(g);
  const box = (id: string): Box => {
    const n = g.node(id) as { x: number; y: number; width: number; height: number };
    return { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
  };
  const out: Layout = { nodes: {}, cards: [], groups: {}, width: 0, height: 0 };
  for (const n of model.nodes) if (n.kind === "network") out.nodes[n.id] = box(n.id);
  stacks.forEach((list, i) => {
    const card = box(`card:${i}`);
    out.cards.push(card);
    list.forEach((c, row) => (out.nodes[c.id] = { x: card.x, y: card.y + row * ROW.height, width: ROW.width, height: ROW.height }));
  });
  for (const group of model.groups) out.groups[group.id] = box(group.id);
  const graph = g.graph() as { width?: number; height?: number };
  out.width = graph.width ?? 0;
  out.height = graph.height ?? 0;
  return out;
}

/** An attachment drawn from the container's row to the network's left side. */
export function edgePath(from: Box, to: Box): string {
  const [x1, y1] = [from.x + from.width, from.y + from.height / 2];
  const [x2, y2] = [to.x, to.y + to.height / 2];
  const mid = (x1 + x2) / 2;
  return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

/** A laid-out part, and where it was placed before if it was shown. */
export type Part = { layout: Layout; was?: number };

/**
 * Laid-out parts stacked top to bottom, each where it was before unless the part above grew into
 * it; parts new to the picture go below the rest. So a part moves for a change elsewhere only to
 * make room, and a part that shrinks or goes leaves a gap rather than moving all under it. Returns
 * the picture and each part's top, in the order given.
 */
export function place(parts: Part[]): { layout: Layout; tops: number[] } {
  const order = parts.map((_, i) => i);
  const rank = (p: Part) => p.was ?? Infinity;
  order.sort((a, b) => rank(parts[a]) - rank(parts[b]) || a - b);
  const out: Layout = { nodes: {}, cards: [], groups: {}, width: 0, height: 0 };
  const tops: number[] = new Array(parts.length);
  const moved = (b: Box, dy: number): Box => ({ ...b, y: b.y + dy });
  for (const i of order) {
    const p = parts[i].layout;
    const dy = Math.max(parts[i].was ?? 0, out.height);
    tops[i] = dy;
    for (const [id, b] of Object.entries(p.nodes)) out.nodes[id] = moved(b, dy);
    for (const [id, b] of Object.entries(p.groups)) out.groups[id] = moved(b, dy);
    for (const c of p.cards) out.cards.push(moved(c, dy));
    out.width = Math.max(out.width, p.width);
    out.height = dy + p.height;
  }
  return { layout: out, tops };
}
