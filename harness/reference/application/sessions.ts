import { randomUUID } from "node:crypto";
import type { ReferenceChoices, ReferenceParameters } from "../domain/parameters.ts";
import type { PayloadCodec } from "../domain/payload.ts";
import { Refusal } from "../domain/refusal.ts";
import { World } from "../domain/world.ts";

/** Every session starts at the same virtual instant so runs are reproducible. */
export const sessionEpochMs = Date.parse("2026-01-01T00:00:00Z");

/**
 * How many sessions the reference holds and how long an unused one lives (wall time), as the
 * protocol's "Session limits" convention allows: at least 64 sessions, at least 30 minutes.
 */
export interface SessionLimits {
  maxSessions: number;
  idleMs: number;
}
export const referenceSessionLimits: SessionLimits = { maxSessions: 1_000, idleMs: 30 * 60_000 };

export interface SessionsOptions {
  /** The target's declared values where the documents are open (the defaults unless given). */
  parameters?: Readonly<ReferenceParameters>;
  /** The target's behavioural choices where the documents are open (the defaults unless given). */
  choices?: Readonly<ReferenceChoices>;
  limits?: SessionLimits;
  /** Wall clock, for the idle expiry. */
  now?: () => number;
}

export class Sessions {
  private readonly worlds = new Map<string, { world: World; lastUsed: number }>();
  private readonly newCodec: () => PayloadCodec;
  private readonly settings: Pick<SessionsOptions, "parameters" | "choices">;
  private readonly limits: SessionLimits;
  private readonly now: () => number;

  constructor(newCodec: () => PayloadCodec, options: SessionsOptions = {}) {
    this.newCodec = newCodec;
    this.settings = {
      ...(options.parameters ? { parameters: options.parameters } : {}),
      ...(options.choices ? { choices: options.choices } : {}),
    };
    this.limits = options.limits ?? referenceSessionLimits;
    this.now = options.now ?? Date.now;
  }

  /** @throws Refusal 429 SESSION_LIMIT_REACHED when the reference holds its maximum already */
  create(gateway?: string): { id: string; world: World } {
    this.expireIdle();
    if (this.worlds.size >= this.limits.maxSessions)
      throw new Refusal(
        429,
        "SESSION_LIMIT_REACHED",
        `the target holds ${this.limits.maxSessions} sessions already: delete one first`,
      );
    const id = randomUUID();
    const world = new World(sessionEpochMs, this.newCodec(), gateway, this.settings);
    this.worlds.set(id, { world, lastUsed: this.now() });
    return { id, world };
  }

  /** @throws Refusal 404 SESSION_NOT_FOUND for an unknown, deleted or expired session */
  get(id: string): World {
    const entry = this.worlds.get(id);
    if (!entry || this.now() - entry.lastUsed >= this.limits.idleMs) {
      if (entry) this.drop(id);
      throw new Refusal(404, "SESSION_NOT_FOUND", `session '${id}' does not exist`);
    }
    entry.lastUsed = this.now();
    return entry.world;
  }

  delete(id: string): void {
    this.get(id);
    this.drop(id);
  }

  /** Every live session with its world (the ARM facade finds the owner of a vault this way). */
  *entries(): IterableIterator<[string, World]> {
    for (const [id, { world }] of this.worlds) yield [id, world];
  }

  get size(): number {
    return this.worlds.size;
  }

  private drop(id: string): void {
    this.worlds.get(id)?.world.dispose();
    this.worlds.delete(id);
  }

  private expireIdle(): void {
    const now = this.now();
    for (const [id, entry] of this.worlds) if (now - entry.lastUsed >= this.limits.idleMs) this.drop(id);
  }
}
