// Container actions as the list shows them: which rows are busy, and the error of the last
// action on a row, shown where the user clicked. The list itself updates from engine events.
import { commands, type Action, type Container, type EngineError } from "../../bindings";

export type Verb = Action | "Remove";

export class ContainerActions {
  /** Container id -> the action in flight. */
  busy = $state<Record<string, Verb>>({});
  /** Container id -> why its last action failed. */
  errors = $state<Record<string, EngineError>>({});

  async #track(id: string, verb: Verb, call: () => Promise<{ status: "ok" } | { status: "error"; error: EngineError }>) {
    this.busy[id] = verb;
    delete this.errors[id];
    try {
      const res = await call();
      if (res.status === "error") this.errors[id] = res.error;
    } finally {
      delete this.busy[id];
    }
  }

  act(c: Container, action: Action): Promise<void> {
    return this.#track(c.id, action, () => commands.containerAction(c.id, action));
  }

  /** Remove; a running container is stopped first (force). Named volumes are never removed. */
  remove(c: Container, anonymousVolumes: boolean): Promise<void> {
    return this.#track(c.id, "Remove", () => commands.removeContainer(c.id, c.up, anonymousVolumes));
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
