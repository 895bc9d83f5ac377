// The simplest front door: no balancer node, one attempt per request to the backend a chooser names, no
// retries and no timeouts of its own (the client's timeout applies). For tests of the world and as the
// "no load balancer" baseline; the load-balancer nodes are the real front doors.
import { OUTCOME } from "../metrics/ledger.js";
import { ATTEMPT_RESULT, type AttemptOwner } from "./upstream.js";
import type { FrontDoor, World } from "./world.js";

/** Maps an attempt's result to the request's outcome when nothing retries it. */
export const OUTCOME_OF_RESULT: Readonly<Record<number, number>> = {
  [ATTEMPT_RESULT.ok]: OUTCOME.ok,
  [ATTEMPT_RESULT.error]: OUTCOME["backend-error"],
  [ATTEMPT_RESULT.refused]: OUTCOME["connection-refused"],
  [ATTEMPT_RESULT.reset]: OUTCOME["reset-mid-flight"],
  [ATTEMPT_RESULT.shed]: OUTCOME["queue-full"],
};

export class DirectFrontDoor implements FrontDoor, AttemptOwner {
  private readonly ownerIndex: number;

  constructor(
    private readonly world: World,
    private readonly choose: (request: number) => number,
    /** A client's own connect timeout; 3 s is one SYN retransmission under Linux's default 1 s initial RTO. */
    readonly connectTimeoutUs = 3_000_000,
  ) {
    this.ownerIndex = world.addOwner(this);
    world.attachFrontDoor(this);
  }

  receive(request: number): void {
    const backend = this.choose(request);
    if (backend < 0) {
      this.world.respond(request, OUTCOME["no-healthy-upstream"], -1);
      return;
    }
    this.world.sendAttempt(request, backend, this.ownerIndex);
  }

  onAttemptResult(attempt: number, result: number): void {
    const attempts = this.world.attempts;
    const request = attempts.request[attempt]!;
    if (!this.world.requests.isLive(request, attempts.requestId[attempt]!)) return;
    if (this.world.requests.settled[request] === 1) return; // the client gave up; nobody is listening
    this.world.respond(request, OUTCOME_OF_RESULT[result]!, attempts.backend[attempt]!);
  }
}
