// What goes to a terminal session, typed text and the pane's size, delivered in order and
// without loss. What comes before the session is open waits for it; one delivery is in flight at
// a time (separate commands may be handled out of order); text typed meanwhile goes with the
// next one, and of sizes only the latest is sent.

/** Where deliveries go; each answers false when the session no longer takes them. */
export type Sink = {
  input(data: string): Promise<boolean>;
  resize(cols: number, rows: number): Promise<boolean>;
};

export type Size = { cols: number; rows: number };

export class TerminalInput {
  #sink: Sink | null = null;
  #pending = "";
  #size: Size | null = null;
  #busy = false;
  #closed = false;

  /** Typed or pasted text. */
  push(data: string): void {
    if (this.#closed) return;
    this.#pending += data;
    void this.#flush();
  }

  /** The pane now holds this many columns and rows. */
  resize(cols: number, rows: number): void {
    if (this.#closed) return;
    this.#size = { cols, rows };
    void this.#flush();
  }

  /** The session is open at size `opened`: deliver what waited and everything after it. */
  open(sink: Sink, opened: Size): void {
    if (this.#closed) return;
    this.#sink = sink;
    if (this.#size?.cols === opened.cols && this.#size.rows === opened.rows) this.#size = null;
    void this.#flush();
  }

  /** The session ended or never opened: nothing more is delivered. */
  close(): void {
    this.#closed = true;
    this.#pending = "";
    this.#size = null;
  }

  async #flush(): Promise<void> {
    const sink = this.#sink;
    if (this.#busy || !sink) return;
    this.#busy = true;
    try {
      while (!this.#closed) {
        let delivered: boolean;
        if (this.#pending) {
          const data = this.#pending;
          this.#pending = "";
          delivered = await sink.input(data);
        } else if (this.#size) {
          const { cols, rows } = this.#size;
          this.#size = null;
          delivered = await sink.resize(cols, rows);
        } else break;
        if (!delivered) this.close();
      }
    } finally {
      this.#busy = false;
    }
  }
}
