// The map's picture of the engine: networks and containers as nodes, one edge per attachment (a
// container on two networks is one node joined to both), compose projects as groups. Ids depend
// only on names and container ids, so a node keeps its id (and its place) across updates.
import type { Container, ContainerState, Network } from "../../bindings";
import { compareStrings } from "../shared/format";

export type NetworkNode = {
  id: string;
  kind: "network";
  name: string;
  driver: string;
  subnet: string;
  builtIn: boolean;
  project: string | null;
};
export type ContainerNode = {
  id: string;
  kind: "container";
  name: string;
  containerId: string;
  state: ContainerState;
  up: boolean;
  /** Published ports, as "127.0.0.1:5000→5000/tcp". */
  ports: string[];
  project: string | null;
};
export type MapNode = NetworkNode | ContainerNode;
export type MapEdge = { id: string; from: string; to: string };
export type MapGroup = { id: string; project: string; members: string[] };
export type MapModel = {
  nodes: MapNode[];
  edges: MapEdge[];
  groups: MapGroup[];
  /** Changes exactly when a node, an edge or a group membership does: the layout's key. */
  structure: string;
};

/** All of it, one project, or one network with what is attached to it. */
export type Focus = { kind: "all" } | { kind: "project"; name: string } | { kind: "network"; name: string };

export const networkId = (name: string) => `n:${name}`;
export const containerId = (id: string) => `c:${id}`;

function portText(c: Container): string[] {
  return c.ports
    .filter((p) => p.public_port !== null)
    .map((p) => `${p.ip && p.ip !== "0.0.0.0" && p.ip !== "::" ? `${p.ip}:` : ""}${p.public_port}→${p.private_port}/${p.protocol}`)
    .filter((p, i, all) => all.indexOf(p) === i);
}

export function buildMap(containers: Container[], networks: Network[], focus: Focus = { kind: "all" }): MapModel {
  const byName = new Map(networks.map((n) => [n.name, n]));
  let shown = containers;
  if (focus.kind === "project") shown = containers.filter((c) => c.project === focus.name);
  if (focus.kind === "network") shown = containers.filter((c) => c.networks.includes(focus.name));
  const used = new Set(shown.flatMap((c) => c.networks.filter((n) => byName.has(n))));
  let nets = networks.filter((n) => used.has(n.name));
  if (focus.kind === "all") nets = networks.filter((n) => used.has(n.name) || !n.built_in);
  if (focus.kind === "project") nets = networks.filter((n) => used.has(n.name) || n.project === focus.name);
  if (focus.kind === "network") nets = networks.filter((n) => used.has(n.name) || n.name === focus.name);

  const nodes: MapNode[] = [
    ...nets.map(
      (n): NetworkNode => ({
        id: networkId(n.name),
        kind: "network",
        name: n.name,
        driver: n.driver,
        subnet: n.subnets.join(", "),
        builtIn: n.built_in,
        project: n.project,
      }),
    ),
    ...shown.map(
      (c): ContainerNode => ({
        id: containerId(c.id),
        kind: "container",
        name: c.name,
        containerId: c.id,
        state: c.state,
        up: c.up,
        ports: portText(c),
        project: c.project,
      }),
    ),
  ];
  const present = new Set(nodes.map((n) => n.id));
  const edges: MapEdge[] = shown.flatMap((c) =>
    c.networks
      .filter((n) => present.has(networkId(n)))
      .map((n) => ({ id: `${containerId(c.id)}->${networkId(n)}`, from: containerId(c.id), to: networkId(n) })),
  );
  const groups = new Map<string, string[]>();
  for (const n of nodes) {
    if (n.project) groups.set(n.project, [...(groups.get(n.project) ?? []), n.id]);
  }
  const groupList = [...groups].map(([project, members]) => ({ id: `p:${project}`, project, members })).sort((a, b) => compareStrings(a.id, b.id));
  return { nodes, edges, groups: groupList, structure: structureOf(nodes, edges, groupList) };
}

/** A key that changes exactly when a node, an edge, a group membership or a node's size does. */
export function structureOf(nodes: MapNode[], edges: MapEdge[], groups: MapGroup[]): string {
  return [
    nodes.map((n) => n.id).sort().join(","),
    edges.map((e) => e.id).sort().join(","),
    groups.map((g) => `${g.id}=${g.members.join("+")}`).join(","),
    nodes.map((n) => (n.kind === "container" ? n.ports.length : 0)).join(""),
  ].join("|");
}

/** The picture cut into the parts that share no line or project: each is laid out on its own,
 * and only the parts whose structure changed are laid out again. */
export function split(model: MapModel): MapModel[] {
  const parent = new Map(model.nodes.map((n) => [n.id, n.id]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const join = (a: string, b: string) => parent.set(find(a), find(b));
  for (const e of model.edges) join(e.from, e.to);
  for (const g of model.groups) for (const m of g.members.slice(1)) join(m, g.members[0]);
  const parts = new Map<string, MapNode[]>();
  for (const n of model.nodes) parts.set(find(n.id), [...(parts.get(find(n.id)) ?? []), n]);
  const out = [...parts.values()].map((nodes) => {
    const ids = new Set(nodes.map((n) => n.id));
    const edges = model.edges.filter((e) => ids.has(e.from));
    const groups = model.groups.filter((g) => ids.has(g.members[0]));
    return { nodes, edges, groups, structure: structureOf(nodes, edges, groups) };
  });
  // A stable order: by the first network's name, else the first container's.
  const order = (m: MapModel) => {
    const nets = m.nodes.filter((n) => n.kind === "network").map((n) => n.name).sort();
    return nets[0] ?? `~${m.nodes.map((n) => n.name).sort()[0]}`;
  };
  return out.sort((a, b) => compareStrings(order(a), order(b)));
}

/** The picture in words: each network with what is attached, then containers on none. */
export function describeMap(model: MapModel): string[] {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const lines: string[] = [];
  for (const n of model.nodes) {
    if (n.kind !== "network") continue;
    const attached = model.edges.filter((e) => e.to === n.id).map((e) => byId.get(e.from) as ContainerNode);
    const who = attached.map((c) => `${c.name} (${c.state}${c.ports.length ? `, ${c.ports.join(" ")}` : ""})`);
    lines.push(`Network ${n.name} (${n.driver}${n.subnet ? `, ${n.subnet}` : ""}): ${who.length ? who.join(", ") : "no containers"}`);
  }
  const alone = model.nodes.filter((n) => n.kind === "container" && !model.edges.some((e) => e.from === n.id));
  if (alone.length) lines.push(`On no network: ${alone.map((c) => c.name).join(", ")}`);
  return lines;
}
