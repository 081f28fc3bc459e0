// One run of the compose program as the window shows it: what it prints, line by line, whether
// it is still running, how it ended; cancelling stops the program.
import { Channel } from "@tauri-apps/api/core";
import { commands, type ComposeEvent, type ComposeLine, type ComposeTarget, type ComposeVerb, type EngineError } from "../../bindings";
import { OwnedStream } from "../shared/stream";

/** Lines kept: a long pull prints progress for every layer. */
const KEEP = 2000;

export class ComposeRun {
  lines = $state<ComposeLine[]>([]);
  state = $state<"running" | "done" | "failed" | "cancelled">("running");
  error = $state<EngineError | null>(null);
  readonly #stream = new OwnedStream();

  constructor(
    readonly target: ComposeTarget,
    readonly verb: ComposeVerb,
  ) {}

  /** "docker-compose up", as the dialog's title says it. */
  get title(): string {
    const verb = { Up: "up", Pull: "pull", Down: "down" }[this.verb];
    return `compose ${verb}: ${this.target.project ?? this.target.files[0] ?? ""}`;
  }

  async start(): Promise<void> {
    const channel = new Channel<ComposeEvent>();
    channel.onmessage = (e) => this.#on(e);
    const res = await commands.runCompose(this.target, this.verb, channel);
    if (res.status === "error") {
      this.error = res.error;
      this.state = "failed";
    } else {
      this.#stream.adopt(res.data);
    }
  }

  #on(e: ComposeEvent): void {
    if (this.state !== "running") return;
    if (e.kind === "Line") {
      this.lines.push(e.data);
      if (this.lines.length > KEEP) this.lines.splice(0, this.lines.length - KEEP);
    } else {
      this.error = e.data ?? null;
      this.state = this.error ? "failed" : "done";
    }
  }

  cancel(): void {
    if (this.state !== "running") return;
    this.#stream.close();
    this.state = "cancelled";
  }
}
