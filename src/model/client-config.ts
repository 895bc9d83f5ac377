// Who sends requests: groups of clients with a load shape, request classes, connection habits, timeouts and
// retries. Structural interfaces for arrivals, backoff and NAT keep this file free of their implementations.
import type { Distribution } from "../engine/distributions/distribution.js";
import type { RandomSource } from "../engine/ports.js";
import type { Outcome } from "../metrics/ledger.js";

export interface RequestClassConfig {
  name: string;
  /** Relative share of this class among a group's requests. */
  weight: number;
  method: string;
  /** GET, PUT and DELETE are idempotent by HTTP semantics; a POST usually is not. */
  idempotent: boolean;
  path: string;
  /** Service demand on a nominal backend (a cache hit vs a complex join can differ 50x). */
  demandUs: Distribution;
  /** Requests of this class fail while a backend's dependency is down. */
  needsDependencies: boolean;
}

/** The next arrival time after `nowUs` (integer us), or Infinity when the process has no more arrivals. */
export interface ArrivalSource {
  next(nowUs: number, rng: RandomSource): number;
}

export interface NatPortPool {
  readonly publicAddress: string;
  /** A source port for a new connection, or -1 when every port is in use or cooling down. */
  open(nowUs: number): number;
  close(port: number, nowUs: number): void;
}

export interface ClientRetryConfig {
  /** Retries after the first try: 0 disables. */
  maxRetries: number;
  /** Outcomes that make the client try again. */
  on: readonly Outcome[];
  /** Delay before retry number n (1-based), drawn from the client's stream: backoff with jitter. */
  delayUs(retry: number, rng: RandomSource): number;
}

/** A recorded workload: request i arrives at offsetsUs[i], of class classIndex[i], demand demandUs[i], from client[i]. */
export interface ReplayRequests {
  readonly offsetsUs: Float64Array;
  readonly classIndex: Uint16Array;
  readonly demandUs: Float64Array;
  readonly client: Int32Array;
  /** Start again from the first request this long after the start; null to stop after the last. */
  readonly periodUs: number | null;
}

export type ClientLoad =
  /** Open loop: requests arrive by the process whatever the responses do (a public API's users). */
  | { kind: "open"; arrivals: ArrivalSource }
  /** Closed loop: each user sends, waits for the answer, thinks, sends again (a fixed user population). */
  | { kind: "closed"; thinkUs: Distribution }
  /** Replay: the requests of an access log, as logged (open loop: they arrive whatever the responses do). */
  | { kind: "replay"; requests: ReplayRequests };

export interface ClientGroupConfig {
  name: string;
  /** Distinct client addresses (open loop) or users (closed loop). */
  clients: number;
  /** Clients get addresses prefix.x.y, e.g. "10.1" gives 10.1.0.1, 10.1.0.2, ... */
  addressPrefix: string;
  /** Each client's own address instead (a replayed log's pseudonyms); its length is `clients`. */
  addresses?: readonly string[];
  /** Every client of the group sits behind this NAT gateway: downstream sees only its address. */
  nat: NatPortPool | null;
  load: ClientLoad;
  classes: RequestClassConfig[];
  /** Reuse one connection per client (HTTP keepalive) or open a new one per request. */
  keepalive: boolean;
  timeoutUs: number;
  retry: ClientRetryConfig | null;
  /** Requests carry a session id; a user starts a new session after this many requests (0: no sessions). */
  requestsPerSession: number;
}
