// The engine as the UI sees it: its connection state, and the lists that follow its changes.
import { Channel } from "@tauri-apps/api/core";
import {
  commands,
  type ChangeSet,
  type Container,
  type EngineEvent,
  type EngineStatus,
  type Image,
  type Network,
  type Project,
  type Volume,
} from "../../bindings";
import { ListStore } from "../shared/list-store.svelte";
import { patchedFetch } from "../shared/patched";
import { mark } from "../shared/startup";

export class Engine {
  status = $state<EngineStatus>({ state: "Connecting", host: "" });

  /** Long lists come as the rows changed since the last answer. */
  readonly containers = new ListStore<Container>(
    patchedFetch(commands.containersSince, (c) => c.id),
    (c) => c.id,
  );
  readonly images = new ListStore<Image>(commands.listImages, (i) => i.id);
  readonly networks = new ListStore<Network>(commands.listNetworks, (n) => n.id);
  readonly volumes = new ListStore<Volume>(commands.listVolumes, (v) => v.name);
  /** Compose projects: their containers, networks and volumes. */
  readonly projects = new ListStore<Project>(commands.listProjects, (p) => p.name);

  /** Subscribe to the backend's change feed. The backend ends it when this page goes away. */
  async connect(): Promise<void> {
    const channel = new Channel<EngineEvent>();
    channel.onmessage = (event) => this.apply(event);
    await commands.watchEngine(channel);
  }

  apply(event: EngineEvent): void {
    if (event.kind === "Status") {
      this.status = event.data;
    } else if (event.kind === "Switched") {
      // Nothing of the engine shown before may stay on screen; its status follows at once.
      this.status = { state: "Connecting", host: "" };
      for (const list of [this.containers, this.images, this.networks, this.volumes, this.projects]) list.reset();
    } else {
      this.invalidate(event.data);
    }
  }

  #changed = false;

  invalidate(set: ChangeSet): void {
    if (!this.#changed) {
      this.#changed = true;
      mark("first change");
    }
    if (set.containers) this.containers.invalidate();
    if (set.images || set.containers) this.images.invalidate();
    if (set.networks) this.networks.invalidate();
    if (set.volumes) this.volumes.invalidate();
    if (set.containers || set.networks || set.volumes) this.projects.invalidate();
  }

  retry(): Promise<void> {
    return commands.engineRetry();
  }
}
