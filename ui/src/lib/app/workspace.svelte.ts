// What the window shows and what it opened: the view, the log being read, the terminal tabs,
// the run dialog and what it opened with, a container's details, the palette and a notice. The
// palette's entries and the desktop's requests end up here; App only draws this.
import { commands, type Container, type Network, type RunSpec, type Theme } from "../../bindings";
import type { RunRequest } from "../containers/run-form";
import type { Entry } from "../palette/palette";
import type { Focus } from "../map/model";
import type { Pulls } from "../images/pulls.svelte";
import { Tabs } from "../terminals/tabs.svelte";
import type { LogTarget } from "../logs/session.svelte";

export type View = "overview" | "containers" | "projects" | "images" | "networks" | "volumes" | "map" | "disk" | "logs" | "terminals" | "settings";

/** Something a view is asked to open when it shows (from the palette). */
export type ViewRequest =
  | { view: "networks"; do: "create" | "prune" }
  | { view: "volumes"; do: "prune" }
  | { view: "images"; do: "prune" }
  | { view: "images"; do: "build"; dir: string }
  | { view: "images"; do: "search"; term: string }
  | { view: "projects"; do: "open" | "down"; project: string }
  | { view: "projects"; do: "up"; file: string }
  | { view: "projects"; do: "file" };

/** The run dialog's opening: the image, the settings it starts from, the container it edits. */
export type RunDialogState = { image: string; initial?: RunSpec; editing?: { id: string; name: string } };

export class Workspace {
  #view = $state<View>("containers");
  /** The containers whose log is being read (leaving the view stops it). */
  logTargets = $state<LogTarget[]>([]);
  /** Terminal tabs: they stay open while other views are shown. */
  readonly tabs = new Tabs();
  runWith = $state<RunDialogState | null>(null);
  /** Applies a theme chosen in the palette (the settings live with App). */
  onTheme: ((theme: Theme) => void) | null = null;
  /** The id of the container shown beside the containers list. */
  detailsOf = $state<string | null>(null);
  /** A network's details, opened from the map. */
  networkOf = $state<Network | null>(null);
  /** What the view being shown is asked to open; it takes it (sets this back to null). */
  request = $state<ViewRequest | null>(null);
  /** What the map shows: everything, one project, or one network. */
  mapFocus = $state<Focus>({ kind: "all" });
  paletteOpen = $state(false);
  helpOpen = $state(false);
  /** Palette entries used, most recent first. */
  recent = $state<string[]>([]);
  /** Something that went wrong, or a warning, for a toast. */
  notice = $state<string | null>(null);

  constructor(private pulls: Pulls) {}

  /** The view shown: terminals with no tab left (the last one closed) are nothing to show. */
  get view(): View {
    return this.#view === "terminals" && this.tabs.list.length === 0 ? "containers" : this.#view;
  }

  show(view: View): void {
    this.#view = view;
  }

  /** The map, focused on everything, a project or a network. */
  showMap(focus: Focus): void {
    this.mapFocus = focus;
    this.#view = "map";
  }

  openLogs(containers: LogTarget[]): void {
    if (containers.length === 0) return;
    this.logTargets = containers.map((c) => ({ id: c.id, name: c.name, project: c.project ?? null, service: c.service ?? null }));
    this.#view = "logs";
  }

  closeLogs(): void {
    this.logTargets = [];
    this.#view = "containers";
  }

  openTerminal(c: Container): void {
    this.tabs.open(c.id, c.name);
    this.#view = "terminals";
  }

  /** The run dialog: empty, for an image, or from a container's settings (to run alike or edit). */
  async openRun(request: RunRequest = {}): Promise<void> {
    this.notice = null;
    const { from, image = "", edit = false } = request;
    if (!from) {
      this.runWith = { image };
      return;
    }
    const res = await commands.containerSpec(from.id);
    if (res.status === "error") {
      this.notice = `Could not read the settings of ${from.name}: ${res.error.message}`;
      return;
    }
    this.runWith = edit
      ? { image: res.data.image, initial: res.data, editing: { id: from.id, name: from.name } }
      : { image, initial: { ...res.data, image, name: "" } };
  }

  /** The container the run dialog just ran: the list shows and marks its row, a notice offers what to do next. */
  justRan = $state<string | null>(null);

  /** The run dialog ran (or recreated) container `id`. */
  ran(id: string, warning?: string | null): void {
    this.runWith = null;
    this.#view = "containers";
    this.justRan = id;
    if (warning) this.notice = warning;
  }

  /** A container's details, beside the containers list. */
  showDetails(c: Container): void {
    this.#view = "containers";
    this.detailsOf = c.id;
  }

  /** A clicked notification asks for a container: its details, if it still exists. */
  showContainer(containers: Container[], id: string, name: string): void {
    this.#view = "containers";
    const c = containers.find((c) => c.id === id);
    if (c) this.detailsOf = c.id;
    else this.notice = `${name} no longer exists`;
  }

  /** Do what a palette entry says. */
  async run(entry: Entry): Promise<void> {
    this.paletteOpen = false;
    this.recent = [entry.key, ...this.recent.filter((k) => k !== entry.key)].slice(0, 30);
    const c = entry.command;
    switch (c.do) {
      case "action": {
        this.#view = "containers";
        const res = await commands.containerAction(c.container.id, c.action);
        if (res.status === "error") this.notice = `${c.action} ${c.container.name}: ${res.error.message}`;
        break;
      }
      case "logs":
        this.openLogs([c.container]);
        break;
      case "terminal":
        this.openTerminal(c.container);
        break;
      case "details":
        this.showDetails(c.container);
        break;
      case "run":
        await this.openRun({ image: c.image });
        break;
      case "pull":
        this.#view = "images";
        void this.pulls.start(c.reference);
        break;
      case "push":
        this.#view = "images";
        void this.pulls.start(c.reference, true);
        break;
      case "show":
        this.#view = c.view;
        break;
      case "map":
        this.showMap(c.focus);
        break;
      case "request":
        this.request = c.request;
        this.#view = c.request.view;
        break;
      case "view":
        this.#view = c.view;
        break;
      case "theme":
        this.onTheme?.(c.theme);
        break;
      case "engine": {
        const res = await commands.switchEngine(c.target);
        if (res.status === "error") this.notice = `Engine ${c.label}: ${res.error.message}`;
        break;
      }
    }
  }
}
