// The engines Berth follows and which one the window shows: kept current by the backend's
// engines feed. The shown engine's label is what confirmations name.
import { Channel } from "@tauri-apps/api/core";
import { commands, type Context, type ContextSpec, type EngineEntry, type EngineError, type EngineRef } from "../../bindings";
import { OwnedStream } from "../shared/stream";

export function sameRef(a: EngineRef, b: EngineRef): boolean {
  return a.kind === b.kind && (a.kind === "Cli" || (b.kind === "Context" && a.name === b.name));
}

/** The engine a context is, as the switcher names it. */
export function contextRef(name: string): EngineRef {
  return { kind: "Context", name };
}

/** A word for an engine's state, as the switcher shows it. */
export function stateWord(e: EngineEntry): string {
  switch (e.status.state) {
    case "Connected":
      return "connected";
    case "Connecting":
      return "connecting";
    case "Unreachable":
      return e.status.reason === "Lost" ? "reconnecting" : "unreachable";
  }
}

export class Engines {
  list = $state.raw<EngineEntry[]>([]);
  contexts = $state.raw<Context[]>([]);
  /** Why the last switch failed, if it did. */
  error = $state<EngineError | null>(null);
  #stream = new OwnedStream();

  get active(): EngineEntry | undefined {
    return this.list.find((e) => e.active);
  }

  /** The shown engine's name for people: `docker` or the context's name. */
  get activeLabel(): string {
    return this.active?.label ?? "docker";
  }

  connect(): void {
    const channel = new Channel<EngineEntry[]>();
    channel.onmessage = (list) => (this.list = list);
    void commands.watchEngines(channel).then((id) => this.#stream.adopt(id));
  }

  close(): void {
    this.#stream.close();
  }

  async switchTo(target: EngineRef): Promise<boolean> {
    const res = await commands.switchEngine(target);
    this.error = res.status === "error" ? res.error : null;
    return res.status === "ok";
  }

  async disconnect(target: EngineRef): Promise<EngineError | null> {
    const res = await commands.closeEngine(target);
    return res.status === "error" ? res.error : null;
  }

  async loadContexts(): Promise<void> {
    this.contexts = await commands.listContexts();
  }

  async save(spec: ContextSpec, replacing: string | null): Promise<EngineError | null> {
    const res = await commands.saveContext(spec, replacing);
    await this.loadContexts();
    return res.status === "error" ? res.error : null;
  }

  async remove(name: string): Promise<EngineError | null> {
    const res = await commands.removeContext(name);
    await this.loadContexts();
    return res.status === "error" ? res.error : null;
  }
}

/** The engines of this window: one for the page. */
export const engines = new Engines();
