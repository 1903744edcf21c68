// What the target said at this instant, for the DSL's observations to share. In virtual time
// the target's state moves only when the harness sends it something (a POST, PUT, PATCH or
// DELETE; a clock advance is a POST) or changes the Azure stand-in it talks to: between two such
// calls, a second GET of the same path could only repeat the first answer. Some 5,800 of the
// suite's 23,900 GETs were such repeats (one Then step re-reading what the previous one read,
// an act's "before" snapshot re-reading what the last act or check read "after").
//
// Not a client cache: every GET the scenario sends still goes to the target, except those the
// DSL makes through `reads` (observations of the target as it is now), which take the answer
// to the same path given since the last change if there is one. A polling loop (a read until
// something happens) never reads through `reads`. Each scenario's world owns one Instant; it
// forgets everything on any call that is not a GET, before the call is sent and once it is
// answered, and on every change to the Azure stand-in.
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { type Outcome, ProtocolClient, type SessionClient } from "../drivers/protocol-client.ts";
import type { HttpMethod } from "../protocol/spec.ts";

/** The reads the DSL shares within an instant: observations, never a job it waits for. */
export type InstantReads = Pick<
  SessionClient,
  "readReplicatedItem" | "readPolicy" | "listRecoveryPoints" | "readMachine" | "listAzureVms" | "readClock"
>;

export class Instant {
  /** The answer to each GET path read through `sharing` since the last change (see `read`). */
  private readonly answers = new Map<string, Promise<Outcome<unknown>>>();

  /** Forgets every answer: something may have changed the target. */
  forget(): void {
    this.answers.clear();
  }

  /**
   * Runs `change` (a call that may change the target), forgetting before it is sent and once it
   * is answered: what was read while it was on its way may hold either state, and is not kept.
   */
  async changes<T>(change: () => Promise<T>): Promise<T> {
    this.forget();
    try {
      return await change();
    } finally {
      this.forget();
    }
  }

  /**
   * The answer to the GET of `path` given since the last change, else `read()`'s, kept for the
   * reads after it. A read that throws (the target misbehaved) is not kept: the next one asks.
   * An answer is frozen once it is shared: from then on no caller can change what another is
   * given (it throws). The DSL changes no answer; a copy for each caller (structuredClone of
   * some 26,000 answers, about 4 % of the in-process suite's time) cost more than the reads
   * it saves there, and freezing only what is shared keeps the cost to what is shared.
   */
  read<T>(path: string, read: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    const kept = this.answers.get(path) as Promise<Outcome<T>> | undefined;
    if (kept) return kept.then(deepFreeze);
    const answer = read();
    this.answers.set(path, answer);
    answer.catch(() => {
      if (this.answers.get(path) === answer) this.answers.delete(path);
    });
    return answer;
  }

  /**
   * `client` as a scenario speaks through it: `asked` sends every call to the target, a call
   * that is not a GET through `changes`; `sharing` the same, but its GETs answered from what
   * was read through it at this instant.
   */
  watching(client: ProtocolClient): { asked: ProtocolClient; sharing: ProtocolClient } {
    return { asked: new WatchedClient(client, this, false), sharing: new WatchedClient(client, this, true) };
  }

  /** `evidence` with its changes to the Azure stand-in (watching, refusing, releasing) forgetting. */
  watchingAzure(evidence: AzureEvidence): AzureEvidence {
    return {
      watch: (scope) => this.changes(() => evidence.watch(scope)),
      requests: (scope) => evidence.requests(scope),
      countRequests: (scope) => evidence.countRequests(scope),
      refuseWrites: (scope, path) => this.changes(() => evidence.refuseWrites(scope, path)),
      release: (scope) => this.changes(() => evidence.release(scope)),
    };
  }
}

class WatchedClient extends ProtocolClient {
  private readonly inner: ProtocolClient;
  private readonly instant: Instant;
  private readonly share: boolean;
  constructor(inner: ProtocolClient, instant: Instant, share: boolean) {
    super(inner.transport);
    this.inner = inner;
    this.instant = instant;
    this.share = share;
  }
  override call<T>(method: HttpMethod, path: string, body?: unknown): Promise<Outcome<T>> {
    const send = () => this.inner.call<T>(method, path, body);
    if (method !== "GET") return this.instant.changes(send);
    return this.share ? this.instant.read(path, send) : send();
  }
}

/** `value` and everything in it made read-only (a JSON answer: no cycles). */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
