// One terminal session's life: opened in the backend (its output arriving on a channel), fed
// what is typed and the pane's size in order, and ended when its tab closes, even if that is
// before the backend answered. The pane only draws.
import { Channel } from "@tauri-apps/api/core";
import { commands, type EngineError, type Open, type TermEvent } from "../../bindings";
import { OwnedStream } from "../shared/stream";
import { TerminalInput, type Size } from "./input";

export class TerminalSession {
  /** Why it could not open. */
  failure = $state<EngineError | null>(null);
  /** How its process ended (the exit code when known); undefined while it runs. */
  exited = $state<number | null | undefined>(undefined);
  /** Attached to the container's main process (`-it`) rather than a new one. */
  attached = $state(false);
  /** What runs in it, once open. */
  title = $state<string | null>(null);

  #stream = new OwnedStream();
  #typed = new TerminalInput();

  constructor(
    private container: string,
    private how: Open,
    /** Where its output goes (escape sequences and all). */
    private write: (text: string) => void,
  ) {}

  /** Open it at `size`; what is typed before it opens is kept for it. */
  async open(size: Size): Promise<void> {
    const channel = new Channel<TermEvent>();
    channel.onmessage = (e) => {
      if (e.kind === "Output") this.write(e.data);
      else {
        this.exited = e.data.code;
        this.#typed.close();
      }
    };
    const res = await commands.openTerminal(this.container, this.how, size.cols, size.rows, channel);
    if (res.status === "error") {
      this.failure = res.error;
      this.#typed.close();
      return;
    }
    const id = res.data.stream;
    if (!this.#stream.adopt(id)) return;
    this.attached = res.data.attached;
    this.title = res.data.title;
    this.#typed.open(
      {
        input: async (data) => (await commands.terminalInput(id, data)).status === "ok",
        resize: async (cols, rows) => (await commands.terminalResize(id, cols, rows)).status === "ok",
      },
      size,
    );
  }

  /** Typed or pasted text. */
  type(data: string): void {
    this.#typed.push(data);
  }

  /** The pane now holds this many columns and rows. */
  resize(cols: number, rows: number): void {
    this.#typed.resize(cols, rows);
  }

  /** End it (its tab closed). */
  close(): void {
    this.#typed.close();
    this.#stream.close();
  }
}
