// Where each node of the map goes: a layered layout, containers on the left joined to their
// networks on the right. With nothing boxed the picture has two layers, which Berth orders and
// places itself (dagre's general machinery is slow to start in a fresh worker); with compose
// projects boxed around their members, dagre does it. Containers with the same project and the
// same networks are stacked in one card, so a few dozen cards are placed rather than hundreds of
// containers; each container keeps its own row and its own edges.
import dagre from "@dagrejs/dagre";
import type { ContainerNode, MapModel } from "./model";
import { sortNaturally } from "../shared/format";

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
  return [...byKey.values()].map((list) => sortNaturally(list, (c) => c.name));
}

/** The layout of a picture: its own two columns when nothing is boxed, else dagre's. */
export function layout(model: MapModel): Layout {
  return model.groups.length === 0 ? columns(model) : layered(model);
}

/**
 * Containers' cards in one column joined to networks in the next: the two-layer case of a
 * layered layout, ordered by the barycentre method (each side sorted by the mean place of what
 * it is joined to, a few sweeps each way) and placed in order near those places.
 */
export function columns(model: MapModel): Layout {
  const stacks = cards(model);
  const nets = sortNaturally(model.nodes.filter((n) => n.kind === "network"), (n) => n.name);
  const cardOf = new Map<string, number>();
  stacks.forEach((list, i) => list.forEach((c) => cardOf.set(c.id, i)));
  const netIndex = new Map(nets.map((n, i) => [n.id, i]));
  // Card -> its networks, network -> its cards (by index).
  const cardNets: number[][] = stacks.map(() => []);
  const netCards: number[][] = nets.map(() => []);
  for (const e of model.edges) {
    const c = cardOf.get(e.from);
    const n = netIndex.get(e.to);
    if (c === undefined || n === undefined || cardNets[c].includes(n)) continue;
    cardNets[c].push(n);
    netCards[n].push(c);
  }
  const GAP = 16;
  const M = 24;
  const heights = stacks.map((l) => ROW.height * l.length);
  // Centres of a column placed in `order`, stacked from the top.
  const centres = (order: number[], size: (i: number) => number) => {
    const at = new Array<number>(order.length);
    let y = 0;
    for (const i of order) {
      at[i] = y + size(i) / 2;
      y += size(i) + GAP;
    }
    return at;
  };
  const mean = (xs: number[], fallback: number) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : fallback);
  // Start from a walk through the wiring (as dagre does): networks joined by a container sit
  // next to each other, so a ring of networks starts as a line rather than scattered by name.
  const walked: number[] = [];
  const seen = new Set<number>();
  const walk = (n: number) => {
    const todo = [n];
    while (todo.length) {
      const at = todo.pop()!;
      if (seen.has(at)) continue;
      seen.add(at);
      walked.push(at);
      const next = netCards[at].flatMap((c) => cardNets[c]).filter((m) => !seen.has(m));
      todo.push(...[...new Set(next)].sort((a, b) => b - a));
    }
  };
  nets.forEach((_, i) => walk(i));
  let netOrder = walked;
  let cardOrder = stacks.map((_, i) => i);
  let netAt = centres(netOrder, () => NETWORK.height);
  let cardAt = centres(cardOrder, (i) => heights[i]);
  const sortBy = (order: number[], key: (i: number) => number) =>
    [...order].sort((a, b) => key(a) - key(b) || order.indexOf(a) - order.indexOf(b));
  for (let sweep = 0; sweep < 8; sweep++) {
    cardOrder = sortBy(cardOrder, (c) => mean(cardNets[c].map((n) => netAt[n]), cardAt[c]));
    cardAt = centres(cardOrder, (i) => heights[i]);
    netOrder = sortBy(netOrder, (n) => mean(netCards[n].map((c) => cardAt[c]), netAt[n]));
    netAt = centres(netOrder, () => NETWORK.height);
  }
  // Then swap neighbours while that removes crossings (each container's line counts).
  const rows = stacks.map((l) => l.length);
  const rank = (order: number[]) => {
    const r = new Array<number>(order.length);
    order.forEach((i, k) => (r[i] = k));
    return r;
  };
  // Crossings between the lines of `a` and `b` when `a` is above `b`.
  const crossings = (a: number[], b: number[], place: number[], wa: number, wb: number) => {
    let x = 0;
    for (const p of a) for (const q of b) if (place[p] > place[q]) x += wa * wb;
    return x;
  };
  for (let pass = 0; pass < 20; pass++) {
    let better = false;
    const netRank = rank(netOrder);
    for (let k = 0; k + 1 < cardOrder.length; k++) {
      const [a, b] = [cardOrder[k], cardOrder[k + 1]];
      if (crossings(cardNets[a], cardNets[b], netRank, rows[a], rows[b]) > crossings(cardNets[b], cardNets[a], netRank, rows[b], rows[a])) {
        [cardOrder[k], cardOrder[k + 1]] = [b, a];
        better = true;
      }
    }
    const cardRank = rank(cardOrder);
    const weighted = (n: number) => netCards[n].flatMap((c) => Array<number>(rows[c]).fill(c));
    for (let k = 0; k + 1 < netOrder.length; k++) {
      const [a, b] = [netOrder[k], netOrder[k + 1]];
      if (crossings(weighted(a), weighted(b), cardRank, 1, 1) > crossings(weighted(b), weighted(a), cardRank, 1, 1)) {
        [netOrder[k], netOrder[k + 1]] = [b, a];
        better = true;
      }
    }
    if (!better) break;
  }
  cardAt = centres(cardOrder, (i) => heights[i]);
  // Networks near the middle of their cards, in order, never overlapping.
  const netY = new Array<number>(nets.length);
  let floor = 0;
  for (const n of netOrder) {
    const want = mean(netCards[n].map((c) => cardAt[c]), floor + NETWORK.height / 2) - NETWORK.height / 2;
    netY[n] = Math.max(want, floor);
    floor = netY[n] + NETWORK.height + GAP;
  }
  const out: Layout = { nodes: {}, cards: [], groups: {}, width: 0, height: 0 };
  const netX = M + ROW.width + 140;
  nets.forEach((n, i) => (out.nodes[n.id] = { x: netX, y: M + netY[i], width: NETWORK.width, height: NETWORK.height }));
  stacks.forEach((list, i) => {
    const card = { x: M, y: M + cardAt[i] - heights[i] / 2, width: ROW.width, height: heights[i] };
    out.cards.push(card);
    list.forEach((c, row) => (out.nodes[c.id] = { x: card.x, y: card.y + row * ROW.height, width: ROW.width, height: ROW.height }));
  });
  const bottoms = Object.values(out.nodes).map((b) => b.y + b.height);
  out.width = (nets.length ? netX + NETWORK.width : M + ROW.width) + M;
  out.height = Math.max(M, ...bottoms) + M;
  return out;
}

/** dagre's layered layout, for pictures with compose projects boxed. */
export function layered(model: MapModel): Layout {
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
