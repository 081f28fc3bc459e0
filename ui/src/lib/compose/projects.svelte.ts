// Compose projects as the window acts on them: start, stop, restart, remove the containers, take
// down (volumes only after a second confirmation naming each), and say what happened to each.
import { commands, type Action, type EngineError, type Project, type Removal } from "../../bindings";

export class ProjectActions {
  /** Project name -> the action in flight. */
  busy = $state<Record<string, string>>({});
  /** What the last action did, per project: a sentence, and whether anything failed. */
  said = $state<Record<string, { text: string; failed: boolean }>>({});
  /** The project the user asked to remove the containers of, or to take down. */
  removing = $state<Project | null>(null);
  downing = $state<Project | null>(null);
  /** Take the volumes too: asked, then confirmed again by name. */
  withVolumes = $state(false);
  volumesStep = $state(false);

  async #run(p: Project, verb: string, call: () => Promise<{ status: "ok"; data: Removal[] } | { status: "error"; error: EngineError }>) {
    this.busy[p.name] = verb;
    delete this.said[p.name];
    const res = await call();
    delete this.busy[p.name];
    if (res.status === "error") this.said[p.name] = { text: `${verb} ${p.name}: ${res.error.message}`, failed: true };
    else this.said[p.name] = summary(verb, res.data);
  }

  act(p: Project, action: Action): Promise<void> {
    return this.#run(p, action, () => commands.projectAction(p.name, action));
  }

  async removeContainers(p: Project): Promise<void> {
    this.removing = null;
    await this.#run(p, "Remove", () => commands.removeProjectContainers(p.name));
  }

  askDown(p: Project): void {
    this.downing = p;
    this.withVolumes = false;
    this.volumesStep = false;
  }

  /** The first confirmation of down: with volumes, go on to name them. */
  async confirmDown(): Promise<void> {
    const p = this.downing;
    if (!p) return;
    if (this.withVolumes && p.volumes.length > 0 && !this.volumesStep) {
      this.volumesStep = true;
      return;
    }
    this.downing = null;
    this.volumesStep = false;
    const volumes = this.withVolumes;
    await this.#run(p, "Down", async () => {
      const res = await commands.downProject(p.name, volumes);
      if (res.status === "error") return res;
      return { status: "ok", data: [...res.data.containers, ...res.data.networks, ...res.data.volumes] };
    });
  }

  cancelDown(): void {
    this.downing = null;
    this.volumesStep = false;
  }
}

/** "Stop: 3 done." or "Stop: 2 done; web_1: no such container." */
export function summary(verb: string, results: Removal[]): { text: string; failed: boolean } {
  const failed = results.filter((r) => r.error);
  const done = results.length - failed.length;
  const parts = [`${verb}: ${done} done`];
  for (const f of failed) parts.push(`${f.name}: ${f.error!.message}`);
  return { text: parts.join("; ") + ".", failed: failed.length > 0 };
}
