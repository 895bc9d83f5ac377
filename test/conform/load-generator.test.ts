// Proves the load generator retries as the scenario's clients do: a try whose outcome (as the client sees it) is in
// the group's retry list is sent again after the backoff, with a fresh id, up to maxRetries; the user request ends
// with its last try's answer and its latency runs from the first send. Against a loopback server, bounded.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import type { ScheduledRequest } from "../../src/conform/arrival-schedule.js";
import { replay, type ClientRetries } from "../../src/conform/load-generator.js";
import { realCause } from "../../src/conform/measure.js";

let server: Server | null = null;
afterEach(async () => {
  if (server !== null) await new Promise((r) => server!.close(r));
  server = null;
});

/** A server that answers 503 (as a proxy with no server up: no backend header) to ids below `failBelow`, else 200. */
async function start(failBelow: number): Promise<number> {
  server = createServer((req, res) => {
    const id = Number(new URL(req.url ?? "/", "http://x").searchParams.get("lbsim-id"));
    if (id < failBelow) res.writeHead(503).end();
    else res.writeHead(200, { "x-lbsim-backend": "app-1" }).end();
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

const schedule: ScheduledRequest[] = Array.from({ length: 4 }, (_, i) => ({
  atUs: i * 5_000, group: "users", address: "127.0.0.1", method: "GET", path: "/", idempotent: true, needsDependencies: false, demandUs: 0, timeoutUs: 2_000_000,
}));
const cause = (t: { status: number; result: string; backend: string }): string => realCause({ id: -1, atUs: 0, sentUs: 0, latencyUs: 0, tries: 1, ...t }, undefined);
const retries = (on: string[], maxRetries = 2): Map<string, ClientRetries> => new Map([["users", { maxRetries, on: new Set(on), delayUs: () => 20_000 }]]);

describe("client retries in the load generator", () => {
  it("retries a listed outcome after the backoff with a fresh id, and the user request ends with the retry's answer", async () => {
    // First tries (ids 0..3) get 503: no-healthy-upstream as the client sees it, listed; retries get ids 4.. and 200.
    const port = await start(4);
    const run = await replay(schedule, { host: "127.0.0.1", port }, performance.now(), 3_000, retries(["no-healthy-upstream"]), cause);
    expect(run.results.map((r) => [r.result, r.tries])).toEqual(Array.from({ length: 4 }, () => ["ok", 2]));
    expect(new Set(run.results.map((r) => r.id))).toEqual(new Set([4, 5, 6, 7]));
    // Latency from the first send: at least the 20 ms backoff.
    for (const r of run.results) expect(r.latencyUs).toBeGreaterThanOrEqual(20_000);
  });

  it("stops after maxRetries, and never retries an outcome off the list", async () => {
    const port = await start(1_000); // every try fails
    const capped = await replay(schedule, { host: "127.0.0.1", port }, performance.now(), 3_000, retries(["no-healthy-upstream"], 1), cause);
    expect(capped.results.map((r) => [r.result, r.tries])).toEqual(Array.from({ length: 4 }, () => ["http-503", 2]));
    const unlisted = await replay(schedule, { host: "127.0.0.1", port }, performance.now(), 3_000, retries(["upstream-timeout"]), cause);
    expect(unlisted.results.map((r) => [r.result, r.tries])).toEqual(Array.from({ length: 4 }, () => ["http-503", 1]));
  });
});
