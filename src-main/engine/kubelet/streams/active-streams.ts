/** The open streaming sessions (log, exec, attach, port-forward): stop() ends them all, tests count them. */
export class ActiveStreams {
  private readonly closers = new Set<() => void>();

  /** Register a session's closer; returns the disposer the session calls when it ends by itself. */
  add(close: () => void): () => void {
    const entry = (): void => close();
    this.closers.add(entry);
    return () => {
      this.closers.delete(entry);
    };
  }

  get size(): number {
    return this.closers.size;
  }

  /** Close every session (each closer unregisters itself through its disposer). */
  closeAll(): void {
    for (const close of [...this.closers]) {
      this.closers.delete(close);
      close();
    }
  }
}
