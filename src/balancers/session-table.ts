// The sticky-session table: session cookie -> backend id, with an idle TTL and a hard size bound (HAProxy
// `stick-table ... size 100k expire 30m`; NGINX Plus `sticky learn ... timeout`). Each use refreshes the entry
// and moves it to the back of the Map, so Map order is least-recently-used first: expired entries are always at
// the front, and when the table is full the front entry is the one to evict. Memory stays bounded whatever the
// number of sessions a run creates.
import type { TimeUs } from "../engine/time.js";

export interface SessionEntry {
  backendId: string;
  lastSeenUs: TimeUs;
}

export class SessionTable {
  private readonly entries = new Map<string, SessionEntry>();
  /** Entries dropped because they idled past the TTL. */
  expired = 0;
  /** Live entries dropped because the table was full. */
  evicted = 0;

  constructor(
    readonly ttlUs: TimeUs,
    readonly maxEntries: number,
  ) {
    if (!(ttlUs > 0)) throw new RangeError(`sticky ttlUs must be > 0, got ${ttlUs}`);
    if (!(Number.isInteger(maxEntries) && maxEntries >= 1)) throw new RangeError(`sticky maxSessions must be an integer >= 1, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The live entry for a session, or undefined if none or expired (an expired one is dropped and counted). */
  lookup(session: string, nowUs: TimeUs): SessionEntry | undefined {
    const entry = this.entries.get(session);
    if (entry === undefined) return undefined;
    if (nowUs - entry.lastSeenUs >= this.ttlUs) {
      this.entries.delete(session);
      this.expired++;
      return undefined;
    }
    return entry;
  }

  /** Marks an entry used now and moves it to the most-recently-used end. */
  touch(session: string, entry: SessionEntry, nowUs: TimeUs): void {
    entry.lastSeenUs = nowUs;
    this.entries.delete(session);
    this.entries.set(session, entry);
  }

  /** Binds a session, first dropping expired entries and, if still full, the least recently used one. */
  bind(session: string, backendId: string, nowUs: TimeUs): void {
    const existing = this.entries.get(session);
    if (existing !== undefined) {
      existing.backendId = backendId;
      this.touch(session, existing, nowUs);
      return;
    }
    this.sweep(nowUs);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        this.entries.delete(oldest.value);
        this.evicted++;
      }
    }
    this.entries.set(session, { backendId, lastSeenUs: nowUs });
  }

  /** Drops expired entries from the front; stops at the first live one, so the cost is what it removes. */
  sweep(nowUs: TimeUs): void {
    for (const [session, entry] of this.entries) {
      if (nowUs - entry.lastSeenUs < this.ttlUs) return;
      this.entries.delete(session);
      this.expired++;
    }
  }
}
