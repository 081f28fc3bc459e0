// The command palette's logic: what the typed text means and which entries it offers. "stop web"
// offers Stop on containers matching "web" (a verb typed with one slip, "restrat web", still
// counts); a bare "web" offers everything named like it, each with its most useful action, and
// the views and commands named like it ("settings", "theme", "prune"). Entries come grouped by
// kind, the group with the best match first; recently used entries first among equals.
import type { Action, Container, EngineEntry, EngineRef, Image, Network, Project, Theme, Volume } from "../../bindings";
import type { View, ViewRequest } from "../app/workspace.svelte";
import { compareStrings, naturalKey } from "../shared/format";

export type Target =
  | { kind: "container"; item: Container }
  | { kind: "image"; ref: string; item: Image }
  | { kind: "network"; item: Network }
  | { kind: "volume"; item: Volume }
  | { kind: "project"; item: Project }
  | { kind: "engine"; item: EngineEntry };

export type Command =
  | { do: "action"; action: Action; container: Container }
  | { do: "logs"; container: Container }
  | { do: "terminal"; container: Container }
  | { do: "details"; container: Container }
  | { do: "run"; image: string }
  | { do: "pull"; reference: string }
  | { do: "push"; reference: string }
  | { do: "show"; view: "containers" | "images" | "networks" | "volumes"; name: string }
  | { do: "map"; focus: { kind: "project" | "network"; name: string } }
  | { do: "request"; request: ViewRequest }
  | { do: "engine"; target: EngineRef; label: string }
  | { do: "view"; view: View }
  | { do: "theme"; theme: Theme };

/** What an entry is, for grouping: the kind of object it acts on, or a view, or a command. */
export type Group = "Commands" | "Views" | "Engines" | "Projects" | "Containers" | "Images" | "Networks" | "Volumes";

export type Entry = { key: string; label: string; hint: string; command: Command; group?: Group };

const GROUP_OF: Record<Target["kind"], Group> = {
  engine: "Engines",
  project: "Projects",
  container: "Containers",
  image: "Images",
  network: "Networks",
  volume: "Volumes",
};

type Verb = { words: string[]; applies: (t: Target) => boolean; make: (t: Target) => Entry | null };

const running = (c: Container) => c.up;

function containerVerb(words: string[], label: string, make: (c: Container) => Command | null): Verb {
  return {
    words,
    applies: (t) => t.kind === "container",
    make: (t) => {
      if (t.kind !== "container") return null;
      const command = make(t.item);
      return command && { key: `${words[0]}:${t.item.id}`, label: `${label} ${t.item.name}`, hint: t.item.state, command };
    },
  };
}

const VERBS: Verb[] = [
  containerVerb(["stop"], "Stop", (c) => (running(c) ? { do: "action", action: "Stop", container: c } : null)),
  containerVerb(["start"], "Start", (c) => (running(c) ? null : { do: "action", action: "Start", container: c })),
  containerVerb(["restart"], "Restart", (c) => ({ do: "action", action: "Restart", container: c })),
  containerVerb(["pause"], "Pause", (c) => (c.state === "running" ? { do: "action", action: "Pause", container: c } : null)),
  containerVerb(["unpause"], "Unpause", (c) => (c.state === "paused" ? { do: "action", action: "Unpause", container: c } : null)),
  containerVerb(["kill"], "Kill", (c) => (running(c) ? { do: "action", action: "Kill", container: c } : null)),
  containerVerb(["logs", "log"], "Logs of", (c) => ({ do: "logs", container: c })),
  containerVerb(["terminal", "shell", "exec", "open terminal"], "Open a terminal in", (c) =>
    c.state === "running" ? { do: "terminal", container: c } : null,
  ),
  containerVerb(["inspect", "details"], "Details of", (c) => ({ do: "details", container: c })),
  {
    // Pulling again fetches a newer image under the same tag.
    words: ["pull"],
    applies: (t) => t.kind === "image",
    make: (t) => (t.kind === "image" ? { key: `pull:${t.ref}`, label: `Pull ${t.ref}`, hint: "update from its registry", command: { do: "pull", reference: t.ref } } : null),
  },
  {
    words: ["push"],
    applies: (t) => t.kind === "image",
    make: (t) => (t.kind === "image" ? { key: `push:${t.ref}`, label: `Push ${t.ref}`, hint: "to its registry", command: { do: "push", reference: t.ref } } : null),
  },
  {
    words: ["down"],
    applies: (t) => t.kind === "project",
    make: (t) =>
      t.kind === "project"
        ? { key: `down:${t.item.name}`, label: `Down ${t.item.name}`, hint: "compose project: containers and networks", command: { do: "request", request: { view: "projects", do: "down", project: t.item.name } } }
        : null,
  },
  {
    words: ["map", "show on map"],
    applies: (t) => t.kind === "project" || t.kind === "network",
    make: (t) =>
      t.kind === "project" || t.kind === "network"
        ? { key: `map:${t.kind}:${t.item.name}`, label: `Map of ${t.item.name}`, hint: t.kind, command: { do: "map", focus: { kind: t.kind, name: t.item.name } } }
        : null,
  },
  {
    words: ["engine", "switch to", "context"],
    applies: (t) => t.kind === "engine",
    make: (t) => (t.kind === "engine" ? engineEntry(t.item) : null),
  },
  {
    words: ["run"],
    applies: (t) => t.kind === "image",
    make: (t) => (t.kind === "image" ? { key: `run:${t.ref}`, label: `Run ${t.ref}`, hint: "image", command: { do: "run", image: t.ref } } : null),
  },
];

function engineEntry(e: EngineEntry): Entry | null {
  if (e.active) return null;
  const state = e.status.state === "Connected" ? "connected" : e.status.state === "Connecting" ? "connecting" : "unreachable";
  return { key: `engine:${e.label}`, label: `Switch to engine ${e.label}`, hint: `${e.host}, ${state}`, command: { do: "engine", target: e.target, label: e.label } };
}

function nameOf(t: Target): string {
  return t.kind === "image" ? t.ref : t.kind === "engine" ? t.item.label : t.item.name;
}

/** The entry a target gets when no verb was typed. */
function defaultEntry(t: Target): Entry | null {
  switch (t.kind) {
    case "engine":
      return engineEntry(t.item);
    case "container":
      return {
        key: `logs:${t.item.id}`,
        label: t.item.name,
        hint: `container, ${t.item.state} — logs`,
        command: { do: "logs", container: t.item },
      };
    case "image":
      return { key: `run:${t.ref}`, label: t.ref, hint: "image — run", command: { do: "run", image: t.ref } };
    case "network":
      return { key: `net:${t.item.id}`, label: t.item.name, hint: "network", command: { do: "show", view: "networks", name: t.item.name } };
    case "volume":
      return { key: `vol:${t.item.name}`, label: t.item.name, hint: "volume", command: { do: "show", view: "volumes", name: t.item.name } };
    case "project":
      return {
        key: `project:${t.item.name}`,
        label: t.item.name,
        hint: `compose project, ${t.item.running} of ${t.item.members.length} running`,
        command: { do: "request", request: { view: "projects", do: "open", project: t.item.name } },
      };
  }
}

/** Every object the palette can reach. */
export function targets(lists: { containers: Container[]; images: Image[]; networks: Network[]; volumes: Volume[]; projects?: Project[]; engines?: EngineEntry[] }): Target[] {
  return [
    ...(lists.engines ?? []).map((item): Target => ({ kind: "engine", item })),
    ...(lists.projects ?? []).map((item): Target => ({ kind: "project", item })),
    ...lists.containers.map((item): Target => ({ kind: "container", item })),
    ...lists.images.flatMap((item) => item.repo_tags.filter((r) => r !== "<none>:<none>").map((ref): Target => ({ kind: "image", ref, item }))),
    ...lists.networks.map((item): Target => ({ kind: "network", item })),
    ...lists.volumes.filter((v) => !v.anonymous).map((item): Target => ({ kind: "volume", item })),
  ];
}

/** How well `name` matches `q` (higher is better), or -1. */
function score(name: string, q: string): number {
  if (!q) return 1;
  const n = name.toLowerCase();
  if (n === q) return 4;
  if (n.startsWith(q)) return 3;
  if (n.includes(q)) return 2;
  // The query's characters in order (fuzzy).
  let at = 0;
  for (const ch of n) if (ch === q[at]) at++;
  return at === q.length ? 1 : -1;
}

/** The entries for what was typed, best first, recently used first among equals; at most `limit`. */
export function suggest(query: string, all: Target[], recent: string[] = [], limit = 50): Entry[] {
  const text = query.trim().toLowerCase().replace(/\s+/g, " ");
  let verb: Verb | null = null;
  let rest = text;
  for (const v of VERBS) {
    for (const w of v.words) {
      if (text === w || text.startsWith(`${w} `)) {
        if (!verb || w.length > rest.length) {
          verb = v;
          rest = text.slice(w.length).trim();
        }
      }
    }
  }
  if (!verb) {
    // A verb typed with one slip ("restrat api"), when the rest still names something.
    const [first, ...others] = text.split(" ");
    const near = first.length >= 4 ? VERBS.find((v) => v.words.some((w) => !w.includes(" ") && oneSlip(first, w))) : undefined;
    if (near && others.length > 0) {
      verb = near;
      rest = others.join(" ");
    }
  }
  const ranked: { entry: Entry; score: number; order: string }[] = [];
  for (const t of all) {
    if (verb && !verb.applies(t)) continue;
    const s = score(nameOf(t), rest);
    if (s < 0) continue;
    const entry = verb ? verb.make(t) : defaultEntry(t);
    if (entry) ranked.push({ entry: { ...entry, group: GROUP_OF[t.kind] }, score: s, order: naturalKey(entry.label) });
  }
  if (!verb && text) {
    for (const v of VIEWS) {
      const s = Math.max(...v.words.map((w) => score(w, text)));
      if (s >= 2 || (s === 1 && text.length >= 3)) ranked.push({ entry: v.entry, score: s, order: naturalKey(v.entry.label) });
    }
  }
  const recency = (key: string) => {
    const i = recent.indexOf(key);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  // Groups in the order of their best match (then as listed), entries best first within them.
  const best = new Map<string, number>();
  for (const r of ranked) best.set(r.entry.group ?? "", Math.max(best.get(r.entry.group ?? "") ?? -1, r.score));
  const rank = (g: Group | undefined) => GROUPS.indexOf(g ?? "Commands");
  ranked.sort(
    (a, b) =>
      best.get(b.entry.group ?? "")! - best.get(a.entry.group ?? "")! ||
      rank(a.entry.group) - rank(b.entry.group) ||
      b.score - a.score ||
      recency(a.entry.key) - recency(b.entry.key) ||
      compareStrings(a.order, b.order),
  );
  const entries = ranked.map((r) => r.entry);
  // "pull <reference>" pulls what was typed (as typed: tags may have capitals), whether or not
  // the engine has it; first, unless it is one of the images already offered.
  const typed = query.trim().replace(/^pull\s+/i, "");
  if (verb?.words[0] === "pull" && rest && !/\s/.test(typed) && !entries.some((e) => e.command.do === "pull" && e.command.reference === typed)) {
    entries.unshift({ key: `pull:${typed}`, label: `Pull ${typed}`, hint: "from its registry", command: { do: "pull", reference: typed } });
  }
  const pushed = query.trim().replace(/^push\s+/i, "");
  if (verb?.words[0] === "push" && rest && !/\s/.test(pushed) && !entries.some((e) => e.command.do === "push" && e.command.reference === pushed)) {
    entries.unshift({ key: `push:${pushed}`, label: `Push ${pushed}`, hint: "to its registry", command: { do: "push", reference: pushed } });
  }
  // "search <term>": search Docker Hub and the registries added.
  const term = query.trim().replace(/^search\s+/i, "");
  if (/^search\s+\S/i.test(query.trim())) {
    entries.unshift({ key: `search:${term}`, label: `Search images for ${term}`, hint: "Docker Hub and your registries", command: { do: "request", request: { view: "images", do: "search", term } } });
  }
  // "build <folder>": open the build dialog on it.
  const dir = query.trim().replace(/^build\s+/i, "");
  if (/^build\s+\//i.test(query.trim())) {
    entries.unshift({ key: `build:${dir}`, label: `Build ${dir}`, hint: "docker build", command: { do: "request", request: { view: "images", do: "build", dir } } });
  }
  // "up <file>": bring a compose file up, as typed.
  const file = query.trim().replace(/^up\s+/i, "");
  if (/^up\s+\//i.test(query.trim())) {
    entries.unshift({ key: `up:${file}`, label: `Up ${file}`, hint: "compose file", command: { do: "request", request: { view: "projects", do: "up", file } } });
  }
  // Commands of their own, offered while what is typed could be them.
  if (text.length >= 2) {
    const fixed = FIXED.filter((c) => c.words.some((w) => w.startsWith(text) || text === w)).map((c) => c.entry);
    entries.unshift(...fixed);
  }
  return entries.slice(0, limit).map((e) => (e.group ? e : { ...e, group: "Commands" }));
}

const GROUPS: Group[] = ["Commands", "Views", "Engines", "Projects", "Containers", "Images", "Networks", "Volumes"];

/** `a` is `b` with one letter changed, added, dropped, or two neighbours swapped. */
export function oneSlip(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const tail = (x: string, y: string) => x.slice(i + 1) === y.slice(i + 1);
  if (a.length === b.length) return tail(a, b) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const VIEW_NAMES: [View, string][] = [
  ["overview", "Overview"],
  ["containers", "Containers"],
  ["projects", "Projects"],
  ["images", "Images"],
  ["networks", "Networks"],
  ["volumes", "Volumes"],
  ["map", "Map"],
  ["disk", "Disk"],
  ["settings", "Settings"],
];

const VIEWS: { words: string[]; entry: Entry }[] = VIEW_NAMES.map(([view, name]) => ({
  words: [name.toLowerCase(), `go to ${name.toLowerCase()}`, ...(view === "settings" ? ["preferences", "options"] : [])],
  entry: { key: `view:${view}`, label: `Go to ${name}`, hint: "view", command: { do: "view", view }, group: "Views" },
}));

const THEMES: Theme[] = ["Light", "Dark", "System"];

const FIXED: { words: string[]; entry: Entry }[] = [
  {
    words: ["run", "run a container", "docker run", "new container"],
    entry: { key: "run-dialog", label: "Run a container…", hint: "docker run", command: { do: "run", image: "" } },
  },
  {
    words: ["prune", "clean up", "cleanup", "disk", "system prune", "reclaim space"],
    entry: { key: "clean-up", label: "Clean up disk space…", hint: "docker system df and prune", command: { do: "view", view: "disk" } },
  },
  ...THEMES.map((theme) => ({
    words: ["theme", `theme ${theme.toLowerCase()}`, `${theme.toLowerCase()} theme`, ...(theme === "Dark" ? ["dark mode"] : theme === "Light" ? ["light mode"] : [])],
    entry: { key: `theme:${theme}`, label: `Theme: ${theme}`, hint: "Settings", command: { do: "theme" as const, theme } },
  })),
  {
    words: ["create network", "network create", "new network"],
    entry: { key: "create-network", label: "Create a network…", hint: "docker network create", command: { do: "request", request: { view: "networks", do: "create" } } },
  },
  {
    words: ["prune networks", "network prune"],
    entry: { key: "prune-networks", label: "Prune unused networks…", hint: "shows them first", command: { do: "request", request: { view: "networks", do: "prune" } } },
  },
  {
    words: ["build", "build image", "docker build"],
    entry: { key: "build", label: "Build an image…", hint: "docker build", command: { do: "request", request: { view: "images", do: "build", dir: "" } } },
  },
  {
    words: ["prune images", "image prune"],
    entry: { key: "prune-images", label: "Prune dangling images…", hint: "shows them and the space first", command: { do: "request", request: { view: "images", do: "prune" } } },
  },
  {
    words: ["prune volumes", "volume prune"],
    entry: { key: "prune-volumes", label: "Prune anonymous volumes…", hint: "shows them first", command: { do: "request", request: { view: "volumes", do: "prune" } } },
  },
  {
    words: ["up", "compose up", "open compose file"],
    entry: { key: "compose-file", label: "Open a compose file…", hint: "up, pull or down", command: { do: "request", request: { view: "projects", do: "file" } } },
  },
];
