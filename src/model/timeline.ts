// The scenario timeline on a running world: each step is plain data (what, when, to which backends) and acts on
// the world, so it lives with the model; the lab only hands the scenario's steps over (DESIGN.md). A target is a
// name as the user wrote it and means whatever serves under that name when the step runs: after a rolling deploy
// `app-1` is `app-1@v2` (World.currentBackend), so a crash hits the running replacement, and a second deploy
// replaces `app-1@v2` with `app-1@v3` rather than the retired `app-1` a second time.
import { invariant } from "../engine/invariant.js";
import type { BackendConfig } from "./backend-config.js";
import type { ArrivalSource } from "./client-config.js";
import type { LbTier } from "./lb/lb-tier.js";
import type { World } from "./world.js";

export type TimelineAction =
  | "crash" | "hang" | "recover" | "slow" | "fast-5xx" | "dependency-down" | "dependency-up"
  | "restart" | "add" | "remove" | "deploy" | "traffic";

export interface TimelineStep {
  atUs: number;
  action: TimelineAction;
  /** Backend names the step acts on (for add: the names of the backends it adds; empty for traffic). */
  targets: string[];
  params: {
    factor?: number;
    rate?: number;
    dependency?: string;
    delayUs?: number;
    backends?: BackendConfig[];
    /** deploy: backends replaced per batch, time between batches, deregistration delay of the old ones. */
    batchSize?: number;
    intervalUs?: number;
    drainUs?: number;
    /** traffic: client groups to change (empty: every open-loop group) and their new arrival processes. */
    groups?: string[];
    arrivals?: ArrivalSource[];
  };
}

export function scheduleTimeline(world: World, tier: LbTier, steps: readonly TimelineStep[]): void {
  for (const step of steps) {
    world.schedule({ atUs: step.atUs, label: step.action, apply: () => applyStep(world, tier, step) });
  }
}

function applyStep(world: World, tier: LbTier, step: TimelineStep): void {
  // `add` names backends that do not exist yet and `traffic` names none: look targets up only for the others.
  const targets = step.action === "add" || step.action === "traffic" ? [] : step.targets.map((name) => world.currentBackend(name));
  const p = step.params;
  switch (step.action) {
    case "crash": return targets.forEach((b) => b.crash());
    case "hang": return targets.forEach((b) => b.hang());
    case "recover": return targets.forEach((b) => b.recover());
    case "slow": return targets.forEach((b) => b.slow(required(p.factor, "factor")));
    case "fast-5xx": return targets.forEach((b) => b.failFast(required(p.rate, "rate")));
    case "dependency-down": return targets.forEach((b) => b.dependencyDown(p.dependency ?? "dependency"));
    case "dependency-up": return targets.forEach((b) => b.dependencyUp(p.dependency ?? "dependency"));
    case "restart": return targets.forEach((b) => b.restart(p.delayUs ?? 0));
    case "add": return void (p.backends ?? []).forEach((config) => world.addBackend(config));
    case "remove": return targets.forEach((b) => tier.deregister(b.index, p.delayUs ?? 0));
    case "deploy": return deploy(world, tier, step);
    case "traffic": {
      const groups = p.groups && p.groups.length > 0 ? p.groups : world.clients.groupNames();
      const arrivals = required(p.arrivals, "arrivals");
      invariant(arrivals.length === groups.length, "a traffic step needs one arrival process per group");
      return groups.forEach((group, i) => world.clients.setArrivals(group, arrivals[i]!));
    }
  }
}

/**
 * A rolling deploy: batch by batch, a new backend of the same shape starts cold beside each old one, and the old
 * one is deregistered (draining for `drainUs`) once its replacement is ready, as a Kubernetes Deployment with
 * maxSurge and maxUnavailable 0 waits for the new pod's readiness before terminating an old pod. "Ready" is the
 * end of the not-ready period: the JVM may still be cold, which is what slow start is for.
 */
function deploy(world: World, tier: LbTier, step: TimelineStep): void {
  const batchSize = Math.max(1, step.params.batchSize ?? 1);
  const intervalUs = step.params.intervalUs ?? 0;
  const drainUs = step.params.drainUs ?? 0;
  step.targets.forEach((name, i) => {
    const batch = Math.floor(i / batchSize);
    world.schedule({
      atUs: world.now + batch * intervalUs,
      label: `deploy ${name}`,
      apply: () => {
        const old = world.currentBackend(name);
        const replacement = world.addBackend({ ...old.config, name: nextVersionName(world, name), coldStart: true });
        world.schedule({ atUs: replacement.readyAtUs, label: `retire ${old.name}`, apply: () => tier.deregister(old.index, drainUs) });
      },
    });
  });
}

/** app-3 becomes app-3@v2, then app-3@v3 at the next deploy. */
function nextVersionName(world: World, name: string): string {
  const [base, version] = name.split("@v");
  let next = version === undefined ? 2 : Number(version) + 1;
  while (world.backends.some((b) => b.name === `${base}@v${next}`)) next++;
  return `${base}@v${next}`;
}

function required<T>(value: T | undefined, name: string): T {
  invariant(value !== undefined, `timeline step is missing "${name}"`);
  return value;
}
