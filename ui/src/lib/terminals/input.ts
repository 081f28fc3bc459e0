// What is typed into a terminal, delivered in order and without loss. Keys typed before the
// session is open wait for it; one delivery is in flight at a time (separate commands may be
// handled out of order), and what is typed meanwhile goes with the next one.

/** Deliver text to the session; false when the session no longer takes input. */
export type Deliver = (data: string) => Promise<boolean>;

export class TerminalInput {
  #deliver: Deliver | null = null;
  #pending = "";
  #busy = false;
  #closed = false;

  /** Typed or pasted text. */
  push(data: string): void {
    if (this.#closed) return;
    this.#pending += data;
    void this.#flush();
  }

  /** The session is open: deliver what waited and everything after it. */
  open(deliver: Deliver): void {
    if (this.#closed) return;
    this.#deliver = deliver;
    void this.#flush();
  }

  /** The session ended or never opened: nothing more is delivered. */
  close(): void {
    this.#closed = true;
    this.#pending = "";
  }

  async #flush(): Promise<void> {
    if (this.#busy || !this.#deliver) return;
    this.#busy = true;
    try {
      while (this.#pending && !this.#closed) {
        const data = this.#pending;
        this.#pending = "";
        if (!(await this.#deliver(data))) this.close();
      }
    } finally {
      this.#busy = false;
    }
  }
}
