// Shared test fixtures: a fake clock, a seeded rng and a balancer builder. Not a test file itself.
import { createBalancer, type BackendConfig, type BalancerSpec, type LoadBalancer, type RequestContext } from "../../src/balancers/index.js";
import { Rng } from "../../src/engine/rng.js";

export interface FakeClock {
  t: number;
  nowUs(): number;
}

export function fakeClock(startUs = 0): FakeClock {
  const clock: FakeClock = { t: startUs, nowUs: () => clock.t };
  return clock;
}

export function ids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `b${i}`);
}

export interface Built {
  balancer: LoadBalancer;
  clock: FakeClock;
}

export function build(spec: BalancerSpec, backends: readonly (string | BackendConfig)[], seed: string | number = 1): Built {
  const clock = fakeClock();
  const rng = Rng.root(seed).fork(`test/${spec.algorithm}`);
  const configs = backends.map((b) => (typeof b === "string" ? { id: b } : b));
  return { balancer: createBalancer(spec, { clock, rng, backends: configs }), clock };
}

/** Picks n times without starting requests (loads stay as they are) and counts picks per backend id. */
export function tally(balancer: LoadBalancer, n: number, ctx: (i: number) => RequestContext = () => ({})): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = balancer.pick(ctx(i)).backend?.id ?? "none";
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Ids of n consecutive picks. */
export function sequence(balancer: LoadBalancer, n: number, ctx: RequestContext = {}): string[] {
  return Array.from({ length: n }, () => balancer.pick(ctx).backend?.id ?? "none");
}
