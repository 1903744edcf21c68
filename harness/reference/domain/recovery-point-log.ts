// A replicated item's recovery points, oldest first, kept in columns. A simulated estate keeps
// millions of points (10,000 machines x 289 in a day's retention); an object per point (its
// time a heap number beside it) cost about 80 bytes of heap each, most of the simulator's
// memory once its recordings were compact, and every full collection walked them all. Here a
// point costs 13 bytes of typed arrays; the point objects readers get are built when read.
import type { Naming } from "./parameters.ts";
import type { StoredPoint } from "./world.ts";

/**
 * A recovery point as read from the log, its id derived from its owner (the machine, or the
 * group sharing it) and time by the naming choice whenever it is read: the same string value
 * each time, and JSON gets every field.
 */
class LoggedPoint implements StoredPoint {
  readonly time: number;
  readonly type: StoredPoint["type"];
  readonly multiVm: boolean;
  readonly #owner: string;
  readonly #naming: Naming;
  constructor(owner: string, time: number, type: StoredPoint["type"], multiVm: boolean, naming: Naming) {
    this.#owner = owner;
    this.time = time;
    this.type = type;
    this.multiVm = multiVm;
    this.#naming = naming;
  }
  get id(): string {
    return this.#naming.recoveryPoint(this.#owner, this.time, this.type);
  }
  toJSON(): StoredPoint {
    return { id: this.id, time: this.time, type: this.type, multiVm: this.multiVm };
  }
}

const appConsistent = 1;
const multiVm = 2;

/** Points in time order (each added at or after the newest), so expiry trims the front. */
export class RecoveryPointLog {
  #times = new Float64Array(4);
  /** appConsistent and multiVm bits. */
  #flags = new Uint8Array(4);
  /** Index into #owners: who the point's id is derived from, and with which naming. */
  #ownerOf = new Uint32Array(4);
  readonly #owners: { owner: string; naming: Naming }[] = [];
  #start = 0;
  #end = 0;
  /** How many points have left the log (expired) since it was made. */
  #dropped = 0;

  get length(): number {
    return this.#end - this.#start;
  }

  /**
   * The oldest point's position in the log's whole history: how many points were dropped
   * before it. Points never move, so a reader that rendered positions [a, b) before renders
   * only what is new (at(position - firstPosition)) and forgets what is now below firstPosition.
   */
  get firstPosition(): number {
    return this.#dropped;
  }

  /** The point at `index` (negative: from the newest, as Array.prototype.at). */
  at(index: number): StoredPoint | undefined {
    const i = index < 0 ? this.#end + index : this.#start + index;
    return i >= this.#start && i < this.#end ? this.#point(i) : undefined;
  }

  /** The newest point's time (ms), without building the point. */
  newestTime(): number | undefined {
    return this.#end > this.#start ? this.#times[this.#end - 1] : undefined;
  }

  /**
   * Adds a point at `time` (ms, at or after the newest) whose id `naming` derives from `owner`.
   * @returns the point as readers will see it
   */
  add(owner: string, time: number, type: StoredPoint["type"], shared: boolean, naming: Naming): StoredPoint {
    if (this.#end === this.#times.length) this.#makeRoom();
    const i = this.#end++;
    this.#times[i] = time;
    this.#flags[i] = (type === "AppConsistent" ? appConsistent : 0) | (shared ? multiVm : 0);
    this.#ownerOf[i] = this.#ownerIndex(owner, naming);
    return this.#point(i);
  }

  /** Drops the points older than `oldest` (ms): they left the retention window. */
  dropBefore(oldest: number): void {
    while (this.#start < this.#end && (this.#times[this.#start] as number) < oldest) {
      this.#start++;
      this.#dropped++;
    }
    if (this.#start === this.#end) this.#start = this.#end = 0;
  }

  *[Symbol.iterator](): IterableIterator<StoredPoint> {
    for (let i = this.#start; i < this.#end; i++) yield this.#point(i);
  }

  /**
   * The newest point `keep` accepts (all, without it) and, of several at that time, the first
   * added: what a scan of every point keeping the first of the greatest time finds. Read from
   * the newest back, as points are in time order: a failover on a history of thousands of
   * points reads a few.
   */
  newest(keep?: (p: StoredPoint) => boolean): StoredPoint | undefined {
    let found: StoredPoint | undefined;
    for (let i = this.#end - 1; i >= this.#start; i--) {
      if (found && (this.#times[i] as number) < found.time) break;
      const p = this.#point(i);
      if (!keep || keep(p)) found = p;
    }
    return found;
  }

  find(keep: (p: StoredPoint) => boolean): StoredPoint | undefined {
    for (const p of this) if (keep(p)) return p;
    return undefined;
  }

  some(keep: (p: StoredPoint) => boolean): boolean {
    return this.find(keep) !== undefined;
  }

  filter(keep: (p: StoredPoint) => boolean): StoredPoint[] {
    return [...this].filter(keep);
  }

  map<T>(f: (p: StoredPoint) => T): T[] {
    return [...this].map(f);
  }

  #point(i: number): StoredPoint {
    const flags = this.#flags[i] as number;
    const { owner, naming } = this.#owners[this.#ownerOf[i] as number] as { owner: string; naming: Naming };
    return new LoggedPoint(
      owner,
      this.#times[i] as number,
      flags & appConsistent ? "AppConsistent" : "CrashConsistent",
      (flags & multiVm) !== 0,
      naming,
    );
  }

  /** An item has a handful of owners (itself, its group, its latest-point owner): searched in turn. */
  #ownerIndex(owner: string, naming: Naming): number {
    const known = this.#owners.findIndex((o) => o.owner === owner && o.naming === naming);
    if (known >= 0) return known;
    this.#owners.push({ owner, naming });
    return this.#owners.length - 1;
  }

  /**
   * Room for one more point: the live points moved to the front when a quarter of the space
   * is free there (expiry frees the front as fast as the schedule fills the back), else 1.5x.
   */
  #makeRoom(): void {
    const live = this.#end - this.#start;
    const capacity = this.#times.length;
    const size = live <= capacity * 0.75 ? capacity : Math.ceil(capacity * 1.5);
    const move = <A extends Float64Array | Uint8Array | Uint32Array>(from: A, to: A): A => {
      to.set(from.subarray(this.#start, this.#end));
      return to;
    };
    if (size === capacity) {
      this.#times.copyWithin(0, this.#start, this.#end);
      this.#flags.copyWithin(0, this.#start, this.#end);
      this.#ownerOf.copyWithin(0, this.#start, this.#end);
    } else {
      this.#times = move(this.#times, new Float64Array(size));
      this.#flags = move(this.#flags, new Uint8Array(size));
      this.#ownerOf = move(this.#ownerOf, new Uint32Array(size));
    }
    this.#start = 0;
    this.#end = live;
  }
}
