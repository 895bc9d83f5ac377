// Proves health probes travel through the simulated backend: an HTTP probe waits behind the traffic in the
// application's queue (so an overloaded backend fails its checks) unless a management pool serves it, a TCP
// probe passes on the kernel's handshake and takes a backlog slot, and a full backlog drops both.
import { describe, expect, it } from "vitest";
import type { ProbeResponse } from "../../src/health/probe.js";
import { backendConfig, clientGroup, everyUs, makeWorld, withRoundRobin } from "./world-fixtures.js";

/**
 * One worker, 100 ms per request (demand 5 ms x speedFactor 20), a request every 10 ms: the queue grows by nine
 * every 100 ms. Probes leave the node at t = 500 ms, when about 45 requests wait ahead of them.
 */
function overloaded(overrides: Parameters<typeof backendConfig>[1] = {}) {
  const world = withRoundRobin(makeWorld({
    backends: [backendConfig("b1", { workers: 1, speedFactor: 20, ...overrides })],
    clients: [clientGroup({ timeoutUs: 100_000_000, load: { kind: "open", arrivals: everyUs(10_000) } })],
    horizonUs: 8_000_000,
  }), 100_000_000);
  // The world refills one response object per shape (a checker reads it during its call only): keep copies.
  const replies: Array<{ kind: string; atUs: number; response: ProbeResponse }> = [];
  for (const kind of ["tcp", "http"] as const) {
    world.schedule({ atUs: 500_000, label: `${kind} probe`, apply: (w) => { w.probe(0, kind, 1, (_token, response) => replies.push({ kind, atUs: w.now, response: structuredClone(response) })); } });
  }
  world.run();
  return replies;
}

describe("probes through the backend", () => {
  it("an HTTP probe waits behind the queued requests; a TCP probe is answered by the kernel at once", () => {
    const replies = overloaded();
    const tcp = replies.find((r) => r.kind === "tcp")!;
    // The network fixture: 0.25 ms each way between node and backend, so the SYN-ACK is back after 0.5 ms.
    expect(tcp.response.connect).toEqual({ kind: "accepted", afterUs: 500 });
    const http = replies.find((r) => r.kind === "http")!;
    // About 45 requests (4.5 s of work) are ahead of it in the queue: far past any check timeout.
    expect(http.response.http!.afterUs).toBeGreaterThan(4_000_000);
    expect(http.response.http!.status).toBe(200);
  });

  it("a management pool answers the HTTP probe in its health endpoint's own time", () => {
    const http = overloaded({ managementWorkers: 1 }).find((r) => r.kind === "http")!;
    // 0.25 ms there, 1 ms of /healthz (the fixture's healthCheckCost), 0.25 ms back.
    expect(http.response.http!.afterUs).toBe(1_500);
  });

  it("a hung backend's backlog fills; then even a TCP probe's SYN is dropped, and each TCP probe took a slot", () => {
    const world = withRoundRobin(makeWorld({
      backends: [backendConfig("b1", { backlog: 3 })],
      clients: [clientGroup({ load: { kind: "open", arrivals: everyUs(10_000_000) } })], // no traffic within the run
      horizonUs: 1_000_000,
    }));
    const replies: ProbeResponse[] = [];
    world.schedule({ atUs: 0, label: "hang", apply: (w) => w.backends[0]!.hang() });
    for (let i = 0; i < 4; i++) {
      world.schedule({ atUs: 100_000 * (i + 1), label: "tcp probe", apply: (w) => { w.probe(0, "tcp", 1, (_token, r) => replies.push(structuredClone(r))); } });
    }
    world.run();
    // Three probes connect (and stay in the backlog: the hung application never accepts); the fourth finds it full.
    expect(replies.length).toBe(3);
    expect(world.backends[0]!.backlogLength).toBe(3);
  });
});
