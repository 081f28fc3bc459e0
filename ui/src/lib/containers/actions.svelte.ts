// Container actions as the list shows them: which rows are busy, and the error of the last
// action on a row, shown where the user clicked. The list itself updates from engine events.
import { commands, type Action, type Container, type EngineError } from "../../bindings";

export type Verb = Action | "Remove";

/** What a removal or a bulk action did, said briefly; `undo` does the opposite where there is one. */
export type Done = { text: string; undo: { action: Action; targets: Container[] } | null };

const PAST: Record<Verb, string> = {
  Start: "Started",
  Stop: "Stopped",
  Restart: "Restarted",
  Pause: "Paused",
  Unpause: "Unpaused",
  Kill: "Killed",
  Remove: "Removed",
};
// What takes an action back; a removal, a kill and a restart cannot be.
const OPPOSITE: Partial<Record<Verb, Action>> = { Start: "Stop", Stop: "Start", Pause: "Unpause", Unpause: "Pause" };

/** The notice for `verb` done to `done` of `asked` containers (the others failed on their rows). */
export function doneNotice(verb: Verb, asked: Container[], done: Container[]): Done | null {
  if (done.length === 0) return null;
  const what = done.length === 1 ? done[0].name : `${done.length} containers`;
  const failed = asked.length - done.length;
  const text = `${PAST[verb]} ${what}${failed ? ` (${failed} failed: see ${failed === 1 ? "its row" : "their rows"})` : ""}`;
  const back = OPPOSITE[verb];
  return { text, undo: back ? { action: back, targets: done } : null };
}

export class ContainerActions {
  /** Container id -> the action in flight. */
  busy = $state<Record<string, Verb>>({});
  /** Container id -> why its last action failed. */
  errors = $state<Record<string, EngineError>>({});
  /** What the last removal or bulk action did, until the next one or until dismissed. */
  done = $state<Done | null>(null);

  async #track(id: string, verb: Verb, call: () => Promise<{ status: "ok" } | { status: "error"; error: EngineError }>) {
    this.busy[id] = verb;
    delete this.errors[id];
    try {
      const res = await call();
      if (res.status === "error") this.errors[id] = res.error;
      return res.status === "ok";
    } finally {
      delete this.busy[id];
    }
  }

  /** `action` on `c`; true when the engine did it. */
  act(c: Container, action: Action): Promise<boolean> {
    return this.#track(c.id, action, () => commands.containerAction(c.id, action));
  }

  /** Remove; a running container is stopped first (force). Named volumes are never removed. */
  async remove(c: Container, anonymousVolumes: boolean, quiet = false): Promise<boolean> {
    const ok = await this.#track(c.id, "Remove", () => commands.removeContainer(c.id, c.up, anonymousVolumes));
    if (!quiet) this.done = doneNotice("Remove", [c], ok ? [c] : []);
    return ok;
  }

  /** `verb` on every one of `targets` at once, then one notice of what was done. */
  async many(verb: Verb, targets: Container[]): Promise<void> {
    const results = await Promise.all(targets.map((c) => (verb === "Remove" ? this.remove(c, false, true) : this.act(c, verb))));
    this.done = doneNotice(
      verb,
      targets,
      targets.filter((_, i) => results[i]),
    );
  }

  /** Take back what the last notice said was done. */
  async undo(): Promise<void> {
    const back = this.done?.undo;
    this.done = null;
    if (back) await this.many(back.action, back.targets);
  }

  /** Open a published port of `c` in the browser; a failure shows on its row. */
  async openPort(c: Container, port: number): Promise<void> {
    delete this.errors[c.id];
    const res = await commands.openInBrowser(port);
    if (res.status === "error") this.errors[c.id] = res.error;
  }

  dismiss(id: string): void {
    delete this.errors[id];
  }
}

/** What a row says while `verb` is under way. */
export function busyText(verb: Verb): string {
  switch (verb) {
    case "Stop":
      // The engine sends SIGTERM, then SIGKILL after the container's stop timeout (10 s unless set).
      return "Stopping… (killed if it does not stop in time)";
    case "Start":
      return "Starting…";
    case "Restart":
      return "Restarting…";
    case "Pause":
      return "Pausing…";
    case "Unpause":
      return "Unpausing…";
    case "Kill":
      return "Killing…";
    case "Remove":
      return "Removing…";
  }
}

/** The actions shown on the row itself; the rest of `actionsFor` go in its "More actions" menu. */
export function primaryActions(c: Container): Action[] {
  return actionsFor(c).filter((a) => a === "Start" || a === "Stop" || a === "Restart" || a === "Unpause");
}

/** The actions a container in this state offers, in button order. */
export function actionsFor(c: Container): Action[] {
  switch (c.state) {
    case "running":
      return ["Stop", "Restart", "Pause", "Kill"];
    case "paused":
      return ["Unpause", "Kill"];
    case "restarting":
      return ["Stop", "Kill"];
    default:
      return ["Start"];
  }
}
