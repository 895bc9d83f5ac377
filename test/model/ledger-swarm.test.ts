// Proves the ledger balances in 200 seeded random worlds (random backends, GC, warmup, client groups, NAT,
// retries, sessions and failure timelines), with zero uncaught exceptions: every user request, try and attempt
// ends exactly once.
import { describe, expect, it } from "vitest";
import { Constant, Exponential, Uniform } from "../../src/engine/distributions/basic.js";
import { LogNormal } from "../../src/engine/distributions/normal.js";
import { Rng } from "../../src/engine/rng.js";
import { OUTCOMES } from "../../src/metrics/ledger.js";
import type { BackendConfig } from "../../src/model/backend-config.js";
import type { ClientGroupConfig, NatPortPool } from "../../src/model/client-config.js";
import { DirectFrontDoor } from "../../src/model/direct-front-door.js";
import { World } from "../../src/model/world.js";
import { backendConfig, clientGroup, everyUs, poissonAt } from "./world-fixtures.js";

function randomWorld(seed: number): World {
  const r = Rng.root(seed).fork("swarm");
  const pick = <T,>(items: readonly T[]): T => items[r.int(items.length)]!;
  const backends: BackendConfig[] = Array.from({ length: 1 + r.int(5) }, (_, i) =>
    backendConfig(`b${i + 1}`, {
      workers: 1 + r.int(8), queueLimit: r.int(20), backlog: 1 + r.int(50), speedFactor: 0.5 + r.next() * 2,
      gc: r.chance(0.5) ? [r.chance(0.5)
        ? { name: "young", trigger: "time" as const, intervalUs: new Exponential(200_000), pauseUs: new Uniform(1_000, 80_000), pressure: r.next() * 3 }
        : { name: "young", trigger: "allocation" as const, intervalUs: new Exponential(50_000), pauseUs: new Uniform(1_000, 80_000), pressure: 0 }] : [],
      warmup: r.chance(0.4) ? { notReadyUs: r.int(300_000), initialMultiplier: 1 + r.next() * 5, requests: r.int(200) } : null,
      coldStart: r.chance(0.3), readiness: pick(["process", "warm"] as const),
    }));
  const nat = (ports: number): NatPortPool => {
    let inUse = 0;
    return { publicAddress: "203.0.113.9", open: () => (inUse < ports ? ++inUse : -1), close: () => void inUse-- };
  };
  const clients: ClientGroupConfig[] = Array.from({ length: 1 + r.int(3) }, (_, g) =>
    clientGroup({
      name: `g${g}`, clients: 1 + r.int(50), addressPrefix: `10.${g + 1}`, keepalive: r.chance(0.5),
      nat: r.chance(0.3) ? nat(1 + r.int(20)) : null,
      load: r.chance(0.7)
        ? { kind: "open", arrivals: r.chance(0.5) ? poissonAt(50 + r.int(2_000)) : everyUs(500 + r.int(20_000)) }
        : { kind: "closed", thinkUs: new Exponential(5_000 + r.int(100_000)) },
      classes: [
        { name: "get", weight: 1 + r.int(5), method: "GET", idempotent: true, path: "/", demandUs: LogNormal.fromMeanAndP99(5_000, 40_000), needsDependencies: r.chance(0.5) },
        { name: "post", weight: 1, method: "POST", idempotent: false, path: "/p", demandUs: new Exponential(20_000), needsDependencies: true },
      ],
      timeoutUs: 5_000 + r.int(500_000),
      retry: r.chance(0.5) ? { maxRetries: r.int(4), on: [pick(OUTCOMES), "client-timeout", "connection-refused"], delayUs: (n) => n * 10_000 } : null,
      requestsPerSession: r.chance(0.5) ? 1 + r.int(30) : 0,
    }));
  const world = new World({
    seed, backends, clients, sessions: pick(["backend", "external"] as const), horizonUs: 200_000 + r.int(1_500_000),
    network: { clientToFrontUs: new Uniform(100, 2_000), frontToBackendUs: new Constant(r.int(1_000)) },
  });
  new DirectFrontDoor(world, () => (r.chance(0.05) ? -1 : r.int(world.backends.length)));
  const actions: Array<(w: World, b: number) => void> = [
    (w, b) => w.backends[b]!.crash(), (w, b) => w.backends[b]!.hang(), (w, b) => w.backends[b]!.recover(),
    (w, b) => w.backends[b]!.slow(1 + r.next() * 10), (w, b) => w.backends[b]!.failFast(r.next()),
    (w, b) => w.backends[b]!.dependencyDown("db"), (w, b) => w.backends[b]!.dependencyUp("db"),
    (w) => void w.addBackend(backendConfig(`extra${w.backends.length}`, { coldStart: true, warmup: { notReadyUs: 50_000, initialMultiplier: 3, requests: 20 } })),
  ];
  for (let i = r.int(8); i > 0; i--) {
    const action = pick(actions);
    const target = r.int(backends.length);
    world.schedule({ atUs: r.int(world.config.horizonUs), label: "chaos", apply: (w) => action(w, target) });
  }
  return world;
}

describe("ledger swarm", () => {
  it("200 random worlds: every request settles exactly once and nothing throws", () => {
    let totalSent = 0;
    const causes = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      const result = randomWorld(seed).run(); // run() throws, naming the seed, if the ledger does not balance
      for (const level of ["requests", "tries", "attempts"] as const) {
        const book = result.ledger[level];
        const settled = Object.values(book.outcomes as Record<string, number>).reduce((a, b) => a + b, 0);
        expect(settled, `seed ${seed} ${level}`).toBe(book.sent);
      }
      totalSent += result.ledger.requests.sent;
      for (const [cause, count] of Object.entries(result.ledger.requests.outcomes)) if (count > 0) causes.add(cause);
    }
    // The swarm is only worth something if it reaches many outcomes: check it exercised most of them.
    expect(totalSent).toBeGreaterThan(50_000);
    for (const cause of ["ok", "client-timeout", "connection-refused", "reset-mid-flight", "queue-full", "backend-error", "no-healthy-upstream", "nat-ports-exhausted", "session-lost", "unfinished"]) {
      expect(causes, cause).toContain(cause);
    }
  });
});
