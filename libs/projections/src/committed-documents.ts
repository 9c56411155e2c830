/**
 * Documents as the projector last committed them, kept in memory across batches so the next batch
 * that needs them neither reads them back from the read store nor parses them again (a ticket's
 * fold is read back on each of its events: a sixth of a rebuild's time). Only for a projection
 * whose documents its projector alone writes: then what is kept here is what the store holds.
 *
 * Bounded: the least recently written or read documents go first. An entry is `null` for a
 * document known not to exist.
 */
export class CommittedDocuments {
  private readonly entries = new Map<string, { doc: object | null; normalized: boolean }>();

  constructor(private readonly capacity: number) {}

  /** undefined: not known here (read the store). */
  get(key: string): { doc: object | null; normalized: boolean } | undefined {
    return this.entries.get(key);
  }

  /** Keeps a document (null: known absent), as the most recent. */
  set(key: string, doc: object | null, normalized: boolean): void {
    this.entries.delete(key);
    this.entries.set(key, { doc, normalized });
    if (this.entries.size > this.capacity) {
      // Map iterates in insertion order: the first keys are the least recently set.
      let excess = this.entries.size - this.capacity;
      for (const oldest of this.entries.keys()) {
        if (excess-- <= 0) break;
        this.entries.delete(oldest);
      }
    }
  }

  /** After a failed or conflicting commit the store may hold something else: forget everything. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
