// Proves, for every algorithm over random seeded sequences of runtime changes, that a pick is never an ineligible
// backend (unhealthy, draining, weight 0, removed, full, or a backup while a primary is up), that a backend is
// returned whenever one is eligible, and that an empty or all-unavailable pool gives the right "none" value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALGORITHMS, createBalancer, type BalancerSpec, type HealthStatus, type NoBackendReason } from "../../src/balancers/index.js";
import { Rng } from "../../src/engine/rng.js";
import { fakeClock } from "./helpers.js";

const SPECS: readonly BalancerSpec[] = [
  { algorithm: "round-robin" },
  { algorithm: "weighted-round-robin", variant: "smooth" },
  { algorithm: "weighted-round-robin", variant: "static" },
  { algorithm: "least-connections" },
  { algorithm: "least-connections", countQueued: true, weighted: false },
  { algorithm: "least-response-time" },
  { algorithm: "peak-ewma" },
  { algorithm: "peak-ewma", picker: "least" },
  { algorithm: "random" },
  { algorithm: "power-of-two-choices" },
  { algorithm: "power-of-two-choices", choiceCount: 3, metric: "peak-ewma" },
  { algorithm: "ip-hash" },
  { algorithm: "ip-hash", wholeAddress: true },
  { algorithm: "consistent-hash", method: "ketama" },
  { algorithm: "consistent-hash", method: "ketama", balanceFactor: 1.25 },
  { algorithm: "consistent-hash", method: "maglev", tableSize: 257 },
  { algorithm: "consistent-hash", method: "maglev", tableSize: 257, balanceFactor: 1.5 },
  { algorithm: "consistent-hash", method: "modulo" },
  { algorithm: "sticky", ttlUs: 5_000 },
  { algorithm: "sticky", base: { algorithm: "consistent-hash" }, maxSessions: 4 },
  { algorithm: "first" },
];

const IDS = ["b0", "b1", "b2", "b3", "b4", "b5"] as const;
const HEALTH: readonly HealthStatus[] = ["healthy", "healthy", "unhealthy", "draining"];

const id = fc.constantFrom(...IDS);
const op = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), id, weight: fc.integer({ min: 0, max: 4 }), max: fc.integer({ min: 0, max: 3 }), backup: fc.boolean(), health: fc.constantFrom(...HEALTH) }),
  fc.record({ kind: fc.constant("remove" as const), id }),
  fc.record({ kind: fc.constant("health" as const), id, health: fc.constantFrom(...HEALTH) }),
  fc.record({ kind: fc.constant("weight" as const), id, weight: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant("factor" as const), id, factor: fc.constantFrom(0, 0.1, 0.5, 1) }),
  fc.record({ kind: fc.constant("max" as const), id, max: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("queued" as const), id, queued: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("start" as const), id }),
  fc.record({ kind: fc.constant("end" as const), id, latencyUs: fc.integer({ min: 1, max: 50_000 }), success: fc.boolean() }),
  fc.record({ kind: fc.constant("tick" as const), dtUs: fc.integer({ min: 0, max: 3_000 }) }),
  fc.record({ kind: fc.constant("pick" as const), key: fc.integer({ min: 0, max: 20 }), start: fc.boolean() }),
  fc.record({ kind: fc.constant("pick" as const), key: fc.integer({ min: 0, max: 20 }), start: fc.boolean() }),
);

interface Model {
  weight: number;
  factor: number;
  max: number;
  backup: boolean;
  health: HealthStatus;
  inFlight: number;
}

const up = (m: Model) => m.health === "healthy" && m.weight * m.factor > 0;

/** The oracle, written from the documented rules, independent of the pool's code. */
function expected(models: Map<string, Model>): { eligible: Set<string>; reason: NoBackendReason } {
  const members = [...models.entries()];
  const primaryUp = members.some(([, m]) => !m.backup && up(m));
  const tierUp = members.filter(([, m]) => m.backup !== primaryUp && up(m));
  const eligible = new Set(tierUp.filter(([, m]) => m.max === 0 || m.inFlight < m.max).map(([k]) => k));
  const reason: NoBackendReason = members.length === 0 ? "no-backends" : tierUp.length === 0 ? "all-unavailable" : "all-full";
  return { eligible, reason };
}

describe("every algorithm, random runtime changes", () => {
  for (const spec of SPECS) {
    it(`${JSON.stringify(spec)}: picks only eligible backends, and none only when none is eligible`, () => {
      fc.assert(
        fc.property(fc.array(op, { minLength: 1, maxLength: 120, size: "max" }), (ops) => {
          const clock = fakeClock();
          const balancer = createBalancer(spec, { clock, rng: Rng.root(7).fork("property") });
          const models = new Map<string, Model>();
          for (const o of ops) {
            const m = "id" in o ? models.get(o.id) : undefined;
            switch (o.kind) {
              case "add":
                if (m) break;
                balancer.addBackend({ id: o.id, weight: o.weight, maxConnections: o.max, backup: o.backup, health: o.health });
                models.set(o.id, { weight: o.weight, factor: 1, max: o.max, backup: o.backup, health: o.health, inFlight: 0 });
                break;
              case "remove":
                expect(balancer.removeBackend(o.id)).toBe(m !== undefined);
                models.delete(o.id);
                break;
              case "health":
                if (m) balancer.setHealth(o.id, (m.health = o.health));
                break;
              case "weight":
                if (m) balancer.setWeight(o.id, (m.weight = o.weight));
                break;
              case "factor":
                if (m) balancer.setWeightFactor(o.id, (m.factor = o.factor));
                break;
              case "max":
                if (m) balancer.setMaxConnections(o.id, (m.max = o.max));
                break;
              case "queued":
                if (m) balancer.setQueued(o.id, o.queued);
                break;
              case "start":
                if (m) {
                  balancer.onRequestStart(o.id);
                  m.inFlight++;
                }
                break;
              case "end":
                if (m && m.inFlight > 0) {
                  balancer.onRequestEnd(o.id, { latencyUs: o.latencyUs, success: o.success });
                  m.inFlight--;
                }
                break;
              case "tick":
                clock.t += o.dtUs;
                break;
              case "pick": {
                const ctx = { hashKey: `k${o.key}`, clientAddress: `10.0.${o.key}.1`, sessionCookie: `s${o.key % 5}` };
                const result = balancer.pick(ctx);
                const { eligible, reason } = expected(models);
                if (eligible.size === 0) {
                  expect(result).toEqual({ backend: null, reason });
                } else {
                  expect(result.backend).not.toBeNull();
                  expect(eligible.has(result.backend!.id)).toBe(true);
                  if (o.start) {
                    balancer.onRequestStart(result.backend!);
                    models.get(result.backend!.id)!.inFlight++;
                  }
                }
                break;
              }
            }
          }
        }),
        { seed: 42, numRuns: 150 },
      );
    });
  }

  it("an empty pool gives no-backends and an all-down pool all-unavailable, for every algorithm", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPECS), fc.integer({ min: 1, max: 6 }), fc.constantFrom<HealthStatus>("unhealthy", "draining"), (spec, n, health) => {
        const balancer = createBalancer(spec, { clock: fakeClock(), rng: Rng.root(3).fork("empty") });
        expect(balancer.pick({ hashKey: "k", sessionCookie: "s" })).toEqual({ backend: null, reason: "no-backends" });
        for (let i = 0; i < n; i++) balancer.addBackend({ id: `b${i}`, backup: i % 2 === 1, health });
        expect(balancer.pick({ hashKey: "k", sessionCookie: "s" })).toEqual({ backend: null, reason: "all-unavailable" });
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("avoiding the backend just tried", () => {
  // Proves `avoid` (a retry's next upstream) works for every algorithm: with others available the avoided
  // backend is never picked; when it is the only one available, it still is.
  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: passes over the avoided backend, unless it is the only one left`, () => {
      const clock = { nowUs: () => 1_000 };
      const lb = createBalancer({ algorithm } as BalancerSpec, { clock, rng: Rng.root(3).fork(algorithm), backends: [{ id: "a" }, { id: "b" }, { id: "c" }] });
      for (let i = 0; i < 200; i++) {
        const avoid = ["a", "b", "c"][i % 3]!;
        const picked = lb.pick({ clientAddress: `10.0.${i}.1`, hashKey: `k${i}`, sessionCookie: `s${i % 7}`, avoid });
        expect(picked.backend?.id).not.toBe(avoid);
      }
      lb.setHealth("b", "unhealthy");
      lb.setHealth("c", "unhealthy");
      expect(lb.pick({ avoid: "a" }).backend?.id).toBe("a");
    });

    it(`${algorithm}: passes over every backend in an avoid list (NGINX's tried peers), falling back only when all are`, () => {
      const clock = { nowUs: () => 1_000 };
      const lb = createBalancer({ algorithm } as BalancerSpec, { clock, rng: Rng.root(4).fork(algorithm), backends: [{ id: "a" }, { id: "b" }, { id: "c" }] });
      const ids = ["a", "b", "c"];
      for (let i = 0; i < 200; i++) {
        // Two tried, one left: the pick must be the one not in the list, whatever the algorithm prefers.
        const left = ids[i % 3]!;
        const tried = ids.filter((id) => id !== left);
        expect(lb.pick({ clientAddress: `10.0.${i}.1`, hashKey: `k${i}`, sessionCookie: `s${i % 7}`, avoid: tried }).backend?.id).toBe(left);
      }
      // All three tried: the balancer falls back to an avoided one (the host decides whether to use it).
      expect(ids).toContain(lb.pick({ avoid: ids }).backend?.id);
    });
  }
});
