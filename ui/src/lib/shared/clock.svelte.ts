// The "now" relative times ("5 minutes ago") are counted from. It moves on once a minute while
// a view that shows such times is open and the page is visible; hidden in the tray, no timer runs.
class MinuteClock {
  now = $state(Date.now());
  #users = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  #sync = () => {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#users === 0 || document.visibilityState !== "visible") return;
    this.now = Date.now();
    this.#timer = setInterval(() => (this.now = Date.now()), 60_000);
  };

  /** Keeps the clock going while the calling component lives; call it while the component is made. */
  use(): void {
    $effect(() => {
      if (this.#users++ === 0) document.addEventListener("visibilitychange", this.#sync);
      this.#sync();
      return () => {
        if (--this.#users === 0) document.removeEventListener("visibilitychange", this.#sync);
        this.#sync();
      };
    });
  }
}

export const minuteClock = new MinuteClock();
