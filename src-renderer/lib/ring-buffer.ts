/**
 * A fixed-capacity FIFO: pushing past capacity drops the oldest items, so hours of log tailing keep memory
 * flat. `version` changes on every push so React can tell a new state from an old one cheaply.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  /** Items dropped (oldest first) since the last clear. */
  dropped = 0;
  version = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(...values: T[]): void {
    this.pushAll(values);
  }

  pushAll(values: readonly T[]): void {
    if (values.length === 0) return;
    // Only the last `capacity` values can survive: skip the rest without touching the array.
    const skip = Math.max(0, values.length - this.capacity);
    this.dropped += skip;
    for (let i = skip; i < values.length; i++) {
      const end = (this.start + this.count) % this.capacity;
      this.items[end] = values[i];
      if (this.count < this.capacity) this.count++;
      else {
        this.start = (this.start + 1) % this.capacity;
        this.dropped++;
      }
    }
    this.version++;
  }

  /** The i-th oldest item still held. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.start + index) % this.capacity];
  }

  toArray(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.start + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.dropped = 0;
    this.version++;
  }
}
