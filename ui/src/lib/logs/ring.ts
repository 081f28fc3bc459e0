// A bounded buffer of the newest items: pushing past the capacity drops the oldest, and the
// buffer counts what it dropped so the view can say so. Items keep a sequence number that never
// repeats, so a row, a match or a bookmark can name an item that may since have been dropped.

export class Ring<T> {
  /** Grows as items come (a short log costs no more than its lines), up to `capacity`. */
  #items: (T | undefined)[] = [];
  #start = 0;
  #length = 0;
  /** How many items were dropped to make room. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
  }

  get length(): number {
    return this.#length;
  }

  /** Sequence number of the oldest item kept (the total ever pushed minus what is kept). */
  get firstSeq(): number {
    return this.dropped;
  }

  /** Sequence number the next pushed item will get. */
  get nextSeq(): number {
    return this.dropped + this.#length;
  }

  push(...items: T[]): void {
    this.pushAll(items);
  }

  pushAll(items: readonly T[]): void {
    // Only the newest `capacity` of a huge batch can stay.
    const skip = Math.max(0, items.length - this.capacity);
    this.dropped += skip;
    for (let i = skip; i < items.length; i++) {
      if (this.#length < this.capacity) {
        this.#items[(this.#start + this.#length) % this.capacity] = items[i];
        this.#length++;
      } else {
        this.#items[this.#start] = items[i];
        this.#start = (this.#start + 1) % this.capacity;
        this.dropped++;
      }
    }
  }

  /** The item at position `i` (0 = oldest kept). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.#length) return undefined;
    return this.#items[(this.#start + i) % this.capacity];
  }

  /** The item with sequence number `seq`, if it is still kept. */
  bySeq(seq: number): T | undefined {
    return this.at(seq - this.dropped);
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#length; i++) out.push(this.at(i) as T);
    return out;
  }

  clear(): void {
    this.dropped += this.#length;
    this.#items = [];
    this.#start = 0;
    this.#length = 0;
  }
}
