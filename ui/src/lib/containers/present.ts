// Pure presentation of containers: what each row shows and how the list is grouped.
import type { Container, ContainerState, Port } from "../../bindings";
import { queryWords, sortNaturally } from "../shared/format";

/** The colour family a state is drawn in. */
export type Tone = "ok" | "warn" | "bad" | "idle";

export function stateTone(state: ContainerState): Tone {
  switch (state) {
    case "running":
      return "ok";
    case "paused":
    case "restarting":
    case "removing":
      return "warn";
    case "dead":
      return "bad";
    default:
      return "idle";
  }
}

/** What a row's state shows: a short label and its colour; the engine's full status goes beside. */
export type Badge = { label: string; tone: Tone };

/** Exit codes of an ending someone asked for: success, and what `docker stop` (SIGTERM) and Ctrl+C (SIGINT) end a process with. */
const ASKED_EXITS = new Set([0, 130, 143]);

/**
 * The state as a badge: red for a failing health check and for an exit nobody asked for (a
 * non-zero code other than a stop's), amber while restarting or while the first health check is
 * pending, muted for a clean exit.
 */
export function stateBadge(c: Pick<Container, "state" | "exit_code" | "health">): Badge {
  if (c.state === "running") {
    if (c.health === "unhealthy") return { label: "unhealthy", tone: "bad" };
    if (c.health === "starting") return { label: "starting", tone: "warn" };
    return { label: c.health === "healthy" ? "healthy" : "running", tone: "ok" };
  }
  if (c.state === "exited" && c.exit_code !== null) {
    return { label: `exited ${c.exit_code}`, tone: ASKED_EXITS.has(c.exit_code) ? "idle" : "bad" };
  }
  return { label: c.state, tone: stateTone(c.state) };
}

/** How many containers are failing (their badge is red). */
export function failingCount(list: readonly Container[]): number {
  let n = 0;
  for (const c of list) if (stateBadge(c).tone === "bad") n++;
  return n;
}

const WILDCARD = new Set(["0.0.0.0", "::", ""]);

/**
 * Published ports as the CLI prints them ("127.0.0.1:8080->80/tcp"), with the IPv4/IPv6
 * duplicates the engine reports for every wildcard binding merged into one entry
 * ("8080->80/tcp"), and exposed-only ports ("80/tcp") after the published ones.
 */
export function formatPorts(ports: Port[]): string[] {
  const published: string[] = [];
  const exposed: string[] = [];
  const seen = new Set<string>();
  const sorted = [...ports].sort(
    (a, b) => (a.public_port ?? 1e6) - (b.public_port ?? 1e6) || a.private_port - b.private_port,
  );
  for (const p of sorted) {
    let text: string;
    if (p.public_port == null) {
      text = `${p.private_port}/${p.protocol}`;
    } else {
      const ip = p.ip ?? "";
      const host = WILDCARD.has(ip) ? "" : ip.includes(":") ? `[${ip}]:` : `${ip}:`;
      text = `${host}${p.public_port}->${p.private_port}/${p.protocol}`;
    }
    if (seen.has(text)) continue;
    seen.add(text);
    (p.public_port == null ? exposed : published).push(text);
  }
  return [...published, ...exposed];
}

/** The host ports a browser can open on this machine: published TCP ports, each once. */
export function openablePorts(ports: Port[]): number[] {
  const found = new Set<number>();
  for (const p of ports) if (p.protocol === "tcp" && p.public_port !== null) found.add(p.public_port);
  return [...found].sort((a, b) => a - b);
}

export type StateFilter = "running" | "all";

// Each container's searchable text, lower-cased once: rows that did not change stay the same
// object across refetches, so a keystroke only compares strings.
const haystacks = new WeakMap<Container, string>();
function haystack(c: Container): string {
  let hay = haystacks.get(c);
  if (hay === undefined) {
    hay = `${c.name}\u0000${c.image}\u0000${c.project ?? ""}\u0000${c.service ?? ""}\u0000${c.id.slice(0, 12)}\u0000${c.status}`.toLowerCase();
    haystacks.set(c, hay);
  }
  return hay;
}

/** Make the search text of `count` containers of `list` from `from` on, ahead of the first keystroke. */
export function prepareSearch(list: readonly Container[], from: number, count: number): void {
  const end = Math.min(list.length, from + count);
  for (let i = from; i < end; i++) haystack(list[i]);
}

function matcher(state: StateFilter, query: string): (c: Container) => boolean {
  const words = queryWords(query);
  return (c) => (state === "all" || c.up) && (words.length === 0 || words.every((w) => haystack(c).includes(w)));
}

export function filterContainers(list: Container[], state: StateFilter, query: string): Container[] {
  return list.filter(matcher(state, query));
}

/** One line of the grouped list: a compose project header or a container. */
export type Row =
  | { kind: "project"; key: string; project: string; running: number; total: number; expanded: boolean }
  | { kind: "container"; key: string; container: Container; grouped: boolean };

/**
 * The containers in the order the list shows them, made once per list (sorting is what a
 * keystroke in the filter must not pay for): containers sorted by name, each compose project's
 * members sorted by service under one entry placed where the project's name sorts.
 */
export type Ordered = ({ project: string; members: Container[] } | { container: Container })[];

export function orderContainers(list: readonly Container[]): Ordered {
  const projects = new Map<string, Container[]>();
  const entries: { sortKey: string; project?: string; container?: Container }[] = [];
  for (const c of list) {
    if (c.project) {
      let members = projects.get(c.project);
      if (!members) {
        members = [];
        projects.set(c.project, members);
        entries.push({ sortKey: c.project, project: c.project });
      }
      members.push(c);
    } else {
      entries.push({ sortKey: c.name, container: c });
    }
  }
  for (const name of sortedMembers.keys()) if (!projects.has(name)) sortedMembers.delete(name);
  return sortNaturally(entries, (e) => e.sortKey).map((e) =>
    e.container ? { container: e.container } : { project: e.project!, members: membersInOrder(e.project!, projects.get(e.project!)!) },
  );
}

// Each project's members as last listed and as sorted: an update that touched none of them
// (the same row objects in the same order) keeps the sorted array, and with it its rows.
const sortedMembers = new Map<string, { listed: Container[]; sorted: Container[] }>();

function membersInOrder(project: string, listed: Container[]): Container[] {
  const kept = sortedMembers.get(project);
  if (kept && kept.listed.length === listed.length && kept.listed.every((c, i) => c === listed[i])) return kept.sorted;
  const sorted = sortNaturally(listed, (c) => c.service ?? c.name, (c) => c.name);
  sortedMembers.set(project, { listed, sorted });
  return sorted;
}

/**
 * The containers that pass the state filter and the query (`shown`), and the rows that show
 * them in `ordered`'s order: a project's header counts its shown members, and members of a
 * collapsed project are left out.
 */
export function presentRows(
  ordered: Ordered,
  state: StateFilter,
  query: string,
  collapsed: ReadonlySet<string>,
): { shown: Container[]; rows: Row[] } {
  const keep = matcher(state, query);
  const shown: Container[] = [];
  const rows: Row[] = [];
  for (const e of ordered) {
    if ("container" in e) {
      if (!keep(e.container)) continue;
      shown.push(e.container);
      rows.push({ kind: "container", key: e.container.id, container: e.container, grouped: false });
      continue;
    }
    const expanded = !collapsed.has(e.project);
    const seen = `${state}\u0000${query}\u0000${expanded}`;
    let project = presentedProjects.get(e.members);
    if (project?.seen !== seen) {
      project = presentProject(e.project, e.members.filter(keep), expanded, seen);
      presentedProjects.set(e.members, project);
    }
    for (const c of project.shown) shown.push(c);
    for (const r of project.rows) rows.push(r);
  }
  return { shown, rows };
}

// A project's rows, kept with its sorted members while the filter and its folding are the same.
const presentedProjects = new WeakMap<Container[], { seen: string; shown: Container[]; rows: Row[] }>();

function presentProject(project: string, members: Container[], expanded: boolean, seen: string) {
  const rows: Row[] = [];
  if (members.length > 0) {
    rows.push({
      kind: "project",
      key: `project:${project}`,
      project,
      running: members.filter((c) => c.up).length,
      total: members.length,
      expanded,
    });
    if (expanded) for (const c of members) rows.push({ kind: "container", key: c.id, container: c, grouped: true });
  }
  return { seen, shown: members, rows };
}

/**
 * Containers sorted by name, each compose project gathered under one header placed where its
 * name sorts. Members of a collapsed project are left out.
 */
export function groupRows(list: Container[], collapsed: ReadonlySet<string>): Row[] {
  return presentRows(orderContainers(list), "all", "", collapsed).rows;
}

/** A column of the containers table. */
export type Column = "name" | "image" | "state" | "status" | "cpu" | "memory" | "net" | "block" | "pids" | "ports" | "created" | "actions";

const TRACKS: Record<Column, { track: string; min: number }> = {
  name: { track: "minmax(140px, 2fr)", min: 140 },
  image: { track: "minmax(100px, 1.4fr)", min: 100 },
  state: { track: "100px", min: 100 },
  status: { track: "minmax(90px, 1.2fr)", min: 90 },
  cpu: { track: "60px", min: 60 },
  memory: { track: "80px", min: 80 },
  net: { track: "120px", min: 120 },
  block: { track: "120px", min: 120 },
  pids: { track: "52px", min: 52 },
  ports: { track: "minmax(90px, 1.2fr)", min: 90 },
  created: { track: "100px", min: 100 },
  actions: { track: "176px", min: 176 },
};
/** What leaves first as the table narrows; name, state and actions always stay. */
const DROP_ORDER: Column[][] = [["block", "pids"], ["net"], ["created"], ["image"], ["ports"], ["cpu", "memory"], ["status"]];
// A row's side padding (16 px each side) and the 12 px gap between tracks.
const PADDING = 32;
const GAP = 12;

/**
 * The columns that fit a table `width` pixels wide, in order: all of them when they fit, else
 * block I/O and PIDs leave first, then network I/O, Created, Image, Ports, CPU and memory and
 * Status, so the actions are never clipped.
 */
export function columnsFor(width: number, stats: boolean): Column[] {
  const measured: Column[] = stats ? ["cpu", "memory", "net", "block", "pids"] : [];
  let columns: Column[] = ["name", "image", "state", "status", ...measured, "ports", "created", "actions"];
  const needed = (cs: Column[]) => PADDING + cs.reduce((sum, c) => sum + TRACKS[c].min, 0) + GAP * (cs.length - 1);
  for (const drop of DROP_ORDER) {
    if (needed(columns) <= width) break;
    columns = columns.filter((c) => !drop.includes(c));
  }
  return columns;
}

/** The grid tracks for `columns`. */
export function tracksOf(columns: Column[]): string {
  return columns.map((c) => TRACKS[c].track).join(" ");
}
