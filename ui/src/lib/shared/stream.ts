// A backend stream owned by a view (a log, a terminal, the desktop's requests): the view asks a
// command to start it and gets its id back later; closing the view stops it, even when the view
// closes before the id arrived. The one place this race is handled.
import { commands, type StreamId } from "../../bindings";

export class OwnedStream {
  #id: StreamId | null = null;
  #closed = false;

  /** The running stream's id, once the backend answered and until it is closed. */
  get id(): StreamId | null {
    return this.#id;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The backend started stream `id` for this view. False (and the stream stopped) when the view
   * has closed meanwhile. */
  adopt(id: StreamId): boolean {
    if (this.#closed) {
      void commands.stopStream(id);
      return false;
    }
    this.#id = id;
    return true;
  }

  /** Stop the stream; nothing of it is wanted after this. */
  close(): void {
    this.#closed = true;
    if (this.#id !== null) void commands.stopStream(this.#id);
    this.#id = null;
  }
}
