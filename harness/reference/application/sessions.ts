import { randomUUID } from "node:crypto";
import type { ReferenceChoices, ReferenceParameters } from "../domain/parameters.ts";
import type { PayloadCodec } from "../domain/payload.ts";
import { Refusal } from "../domain/refusal.ts";
import { World } from "../domain/world.ts";

/** What every world of this target is created with (the reference's open choices). */
export interface WorldSettings {
  parameters?: Readonly<ReferenceParameters>;
  choices?: Readonly<ReferenceChoices>;
}

/** Every session starts at the same virtual instant so runs are reproducible. */
export const sessionEpochMs = Date.parse("2026-01-01T00:00:00Z");

export class Sessions {
  private readonly worlds = new Map<string, World>();
  private readonly newCodec: () => PayloadCodec;
  private readonly settings: WorldSettings;

  constructor(newCodec: () => PayloadCodec, settings: WorldSettings = {}) {
    this.newCodec = newCodec;
    this.settings = settings;
  }

  create(gateway?: string): { id: string; world: World } {
    const id = randomUUID();
    const world = new World(sessionEpochMs, this.newCodec(), gateway, this.settings);
    this.worlds.set(id, world);
    return { id, world };
  }

  get(id: string): World {
    const world = this.worlds.get(id);
    if (!world) throw new Refusal(404, "SESSION_NOT_FOUND", `session '${id}' does not exist`);
    return world;
  }

  delete(id: string): void {
    this.get(id).dispose();
    this.worlds.delete(id);
  }

  get size(): number {
    return this.worlds.size;
  }
}
