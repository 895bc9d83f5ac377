// The real load generator: replays a scenario's arrival schedule against the proxy on the wall clock, each
// request from its client's own source address in 127.0.0.0/8 (so address hashing sees the scenario's
// clients), carrying its service demand for the backend, with the client's timeout. It measures its own
// lateness against the schedule, so a run on a starved machine is reported as "machine too busy", never as a
// model mismatch. One connection per request (`connection: close`): conformance scenarios say keepalive: false.
import { request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";
import type { ScheduledRequest } from "./arrival-schedule.js";
import { BACKEND_HEADER, DEMAND_HEADER, NEEDS_DEPENDENCIES_HEADER } from "./backend-app.js";

/** What the client saw for one user request (its last try's answer; latency from its first send). */
export interface RequestResult {
  /** The last try's id (the one in its path, `lbsim-id`), so its proxy log line names the cause. */
  id: number;
  /** Scheduled and actual send times of the first try from the run's start, microseconds. */
  atUs: number;
  sentUs: number;
  /** HTTP status, or 0 when the client got no answer (timeout, reset, refused). */
  status: number;
  /** `ok`, `http-<status>`, `client-timeout`, `reset`, `refused`, `error`, `unfinished`. */
  result: string;
  /** From the first try's send to the last try's end. */
  latencyUs: number;
  /** The backend that answered (its header), or "" when the answer came from the proxy or never came. */
  backend: string;
  /** Tries sent: 1 plus the client's retries. */
  tries: number;
}

export interface LoadTarget {
  host: string;
  port: number;
}

/**
 * A client group's retries (scenario `clients[].retry`, ClientDriver.settle): after a try whose outcome is in `on`,
 * while fewer than `maxRetries` retries were sent, the client waits `delayUs(n)` (retry n, 1-based) and sends the
 * same request again. The outcome is judged from what the client sees (realCause without the proxy's log: a 503
 * without a backend header is `no-healthy-upstream`, a 502 `connection-refused`).
 */
export interface ClientRetries {
  maxRetries: number;
  on: ReadonlySet<string>;
  delayUs(retry: number): number;
}

export interface LoadRun {
  results: RequestResult[];
  /** Lateness of first sends behind the schedule, microseconds. */
  latenessUs: { p50: number; p99: number; max: number };
}

/** The request id travels in the query string, so proxy logs that print the URI name it. */
export function requestPath(request: ScheduledRequest, id: number): string {
  return `${request.path}${request.path.includes("?") ? "&" : "?"}lbsim-id=${id}`;
}

/** A try's outcome in lbsim's vocabulary as the client sees it (no proxy log at hand while the run goes on). */
export type TryCause = (result: TryResult) => string;

/** One try's answer. */
export interface TryResult {
  status: number;
  result: string;
  backend: string;
}

/**
 * Replays `schedule` starting at `startMs` (performance.now() time). Resolves when every user request has ended, or
 * at `deadlineMs` after the start: requests still open then (or whose retry falls due after it) are aborted and
 * reported `unfinished` (the horizon). `retries` maps a client group to its retry rule (none: no retries); retries
 * get ids from `schedule.length` on.
 */
export function replay(
  schedule: readonly ScheduledRequest[], target: LoadTarget, startMs: number, deadlineMs: number,
  retries: ReadonlyMap<string, ClientRetries> = new Map(), causeOf: TryCause = (r) => r.result,
): Promise<LoadRun> {
  const results: Array<RequestResult | undefined> = new Array(schedule.length);
  /** Tries in flight and retries waiting, by user request: each entry cancels it silently. */
  const open = new Map<number, () => void>();
  /** Actual send times of first tries (us from the start), -1 until sent: the lateness measure covers every request. */
  const sentAt = new Float64Array(schedule.length).fill(-1);
  const tries = new Int32Array(schedule.length);
  const lastId = new Int32Array(schedule.length).fill(-1);
  let nextRetryId = schedule.length;
  let next = 0;
  let done = 0;
  const nowUs = (): number => Math.round((performance.now() - startMs) * 1000);
  return new Promise((resolve) => {
    let finished = false;
    let tickTimer: NodeJS.Timeout | null = null;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      if (tickTimer) clearTimeout(tickTimer);
      const endUs = nowUs();
      for (const abort of open.values()) abort();
      const all = schedule.map((req, i): RequestResult => {
        const sentUs = sentAt[i]! >= 0 ? sentAt[i]! : endUs;
        return results[i] ?? { id: lastId[i]! >= 0 ? lastId[i]! : i, atUs: req.atUs, sentUs, status: 0, result: "unfinished", latencyUs: Math.max(1, endUs - sentUs + 1), backend: "", tries: tries[i]! };
      });
      const late = [...sentAt].map((s, i) => (s < 0 ? endUs : s) - schedule[i]!.atUs);
      resolve({ results: all, latenessUs: lateness(late) });
    };
    const deadline = setTimeout(finish, Math.max(0, startMs + deadlineMs - performance.now()));
    if (schedule.length === 0) return finish();
    const end = (i: number, r: RequestResult): void => {
      open.delete(i);
      results[i] = r;
      if (++done === schedule.length) finish();
    };
    const attempt = (i: number, id: number): void => {
      const req = schedule[i]!;
      tries[i]!++;
      lastId[i] = id;
      open.set(i, send(req, id, target, (t) => {
        open.delete(i);
        const rule = retries.get(req.group);
        const retry = tries[i]! - 1;
        const firstSentUs = sentAt[i]!;
        const result = (endUs: number): RequestResult => ({ id, atUs: req.atUs, sentUs: firstSentUs, status: t.status, result: t.result, latencyUs: Math.max(1, endUs - firstSentUs), backend: t.backend, tries: tries[i]! });
        if (rule === undefined || t.result === "ok" || retry >= rule.maxRetries || !rule.on.has(causeOf(t))) return end(i, result(nowUs()));
        const dueUs = nowUs() + Math.max(0, Math.round(rule.delayUs(retry + 1)));
        // A retry due after the horizon is never sent: the user request ends there, unfinished (as in the model).
        if (dueUs >= deadlineMs * 1000) return;
        // Node's timers count whole milliseconds of a loop clock read at the start of the loop's turn, so one may
        // fire up to a millisecond before its delay has passed by performance.now(): re-arm until the backoff has.
        let timer: ReturnType<typeof setTimeout>;
        const due = (): void => {
          const leftMs = startMs + dueUs / 1000 - performance.now();
          if (leftMs > 0) timer = setTimeout(due, leftMs);
          else attempt(i, nextRetryId++);
        };
        timer = setTimeout(due, Math.max(0, startMs + dueUs / 1000 - performance.now()));
        open.set(i, () => clearTimeout(timer));
      }));
    };
    const tick = (): void => {
      tickTimer = null;
      const now = nowUs();
      while (next < schedule.length && schedule[next]!.atUs <= now + 500) {
        const i = next++;
        sentAt[i] = nowUs();
        attempt(i, i);
      }
      if (next < schedule.length && !finished) {
        const waitMs = Math.max(0, schedule[next]!.atUs / 1000 - (performance.now() - startMs));
        tickTimer = setTimeout(tick, Math.max(0, waitMs - 0.5));
      }
    };
    tick();
  });
}

/** Sends one try; returns a function that aborts it silently. */
function send(req: ScheduledRequest, id: number, target: LoadTarget, done: (r: TryResult) => void): () => void {
  let settled = false;
  const settle = (status: number, result: string, backend: string): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    done({ status, result, backend });
  };
  const client = httpRequest({
    host: target.host, port: target.port, method: req.method, path: requestPath(req, id), localAddress: req.address, agent: false,
    headers: { connection: "close", [DEMAND_HEADER]: String(req.demandUs), [NEEDS_DEPENDENCIES_HEADER]: req.needsDependencies ? "1" : "0", "content-length": "0" },
  });
  const timer = setTimeout(() => {
    settle(0, "client-timeout", "");
    client.destroy();
  }, req.timeoutUs / 1000);
  client.on("response", (res) => {
    const backend = String(res.headers[BACKEND_HEADER] ?? "");
    res.resume();
    res.on("end", () => settle(res.statusCode ?? 0, res.statusCode !== undefined && res.statusCode < 400 ? "ok" : `http-${res.statusCode}`, backend));
    res.on("error", () => settle(0, "reset", backend));
  });
  client.on("error", (error: NodeJS.ErrnoException) => settle(0, error.code === "ECONNREFUSED" ? "refused" : error.code === "ECONNRESET" ? "reset" : "error", ""));
  client.end();
  return () => {
    settled = true;
    clearTimeout(timer);
    client.destroy();
  };
}

/** Percentiles of how late each send was behind its schedule (never negative). */
export function lateness(lateUs: readonly number[]): LoadRun["latenessUs"] {
  const late = lateUs.map((l) => Math.max(0, l)).sort((a, b) => a - b);
  const at = (q: number): number => late[Math.min(late.length - 1, Math.floor(q * late.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: late[late.length - 1] ?? 0 };
}
