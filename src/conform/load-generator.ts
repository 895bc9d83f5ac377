// The real load generator: replays a scenario's arrival schedule against the proxy on the wall clock, each
// request from its client's own source address in 127.0.0.0/8 (so address hashing sees the scenario's
// clients), carrying its service demand for the backend, with the client's timeout. It measures its own
// lateness against the schedule, so a run on a starved machine is reported as "machine too busy", never as a
// model mismatch. One connection per request (`connection: close`): conformance scenarios say keepalive: false.
import { request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";
import type { ScheduledRequest } from "./arrival-schedule.js";
import { BACKEND_HEADER, DEMAND_HEADER, NEEDS_DEPENDENCIES_HEADER } from "./backend-app.js";

/** What the client saw for one request. */
export interface RequestResult {
  id: number;
  /** Scheduled and actual send times from the run's start, microseconds. */
  atUs: number;
  sentUs: number;
  /** HTTP status, or 0 when the client got no answer (timeout, reset, refused). */
  status: number;
  /** `ok`, `http-<status>`, `client-timeout`, `reset`, `refused`, `error`. */
  result: string;
  latencyUs: number;
  /** The backend that answered (its header), or "" when the answer came from the proxy or never came. */
  backend: string;
}

export interface LoadTarget {
  host: string;
  port: number;
}

export interface LoadRun {
  results: RequestResult[];
  /** Lateness of sends behind the schedule, microseconds. */
  latenessUs: { p50: number; p99: number; max: number };
}

/** The request id travels in the query string, so proxy logs that print the URI name it. */
export function requestPath(request: ScheduledRequest, id: number): string {
  return `${request.path}${request.path.includes("?") ? "&" : "?"}lbsim-id=${id}`;
}

/**
 * Replays `schedule` starting at `startMs` (performance.now() time). Resolves when every request has ended, or at
 * `deadlineMs` after the start: requests still open then are aborted and reported `unfinished` (the horizon).
 */
export function replay(schedule: readonly ScheduledRequest[], target: LoadTarget, startMs: number, deadlineMs: number): Promise<LoadRun> {
  const results: Array<RequestResult | undefined> = new Array(schedule.length);
  const open = new Map<number, () => void>();
  /** Actual send times (us from the start), -1 until sent: the lateness measure covers every request sent. */
  const sentAt = new Float64Array(schedule.length).fill(-1);
  let next = 0;
  let done = 0;
  return new Promise((resolve) => {
    let finished = false;
    let tickTimer: NodeJS.Timeout | null = null;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      if (tickTimer) clearTimeout(tickTimer);
      const endUs = Math.round((performance.now() - startMs) * 1000);
      for (const abort of open.values()) abort();
      const all = schedule.map((req, id): RequestResult => {
        const sentUs = sentAt[id]! >= 0 ? sentAt[id]! : endUs;
        return results[id] ?? { id, atUs: req.atUs, sentUs, status: 0, result: "unfinished", latencyUs: Math.max(1, endUs - sentUs + 1), backend: "" };
      });
      const late = [...sentAt].map((s, id) => (s < 0 ? endUs : s) - schedule[id]!.atUs);
      resolve({ results: all, latenessUs: lateness(late) });
    };
    const deadline = setTimeout(finish, Math.max(0, startMs + deadlineMs - performance.now()));
    if (schedule.length === 0) return finish();
    const tick = (): void => {
      tickTimer = null;
      const nowUs = (performance.now() - startMs) * 1000;
      while (next < schedule.length && schedule[next]!.atUs <= nowUs + 500) {
        const id = next++;
        sentAt[id] = Math.round((performance.now() - startMs) * 1000);
        open.set(id, send(schedule[id]!, id, target, startMs, (r) => {
          open.delete(id);
          results[id] = r;
          if (++done === schedule.length) finish();
        }));
      }
      if (next < schedule.length && !finished) {
        const waitMs = Math.max(0, schedule[next]!.atUs / 1000 - (performance.now() - startMs));
        tickTimer = setTimeout(tick, Math.max(0, waitMs - 0.5));
      }
    };
    tick();
  });
}

/** Sends one request; returns a function that aborts it silently. */
function send(req: ScheduledRequest, id: number, target: LoadTarget, startMs: number, done: (r: RequestResult) => void): () => void {
  const sentMs = performance.now();
  const sentUs = Math.round((sentMs - startMs) * 1000);
  let settled = false;
  const settle = (status: number, result: string, backend: string): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    done({ id, atUs: req.atUs, sentUs, status, result, latencyUs: Math.round((performance.now() - sentMs) * 1000), backend });
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
