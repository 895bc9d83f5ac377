// A sweep's fingerprint: what makes two pieces of a sweep parts of the same whole. Pieces run on different
// machines (a Kubernetes pod per shard) may only be merged when they ran the same scenario bytes, with the same
// lbsim version, overrides, grid, variants and seeds; anything else would put numbers from two experiments in
// one table. Paths are left out on purpose: a pod sees the scenario under another path than a laptop does.
import { createHash } from "node:crypto";
import type { SweepAxis, SweepDefinition } from "./sweep.js";

export interface SweepFingerprint {
  lbsimVersion: string;
  scenario: { name: string; sha256: string };
  set: string[];
  axes: SweepAxis[];
  variants: Array<string | null>;
  seeds: string[];
  /** sha256 of the fields above, as canonical JSON: equal hashes, same sweep. */
  hash: string;
}

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

export function sweepFingerprint(definition: SweepDefinition, scenarioName: string, scenarioBytes: string | Uint8Array, lbsimVersion: string): SweepFingerprint {
  const fields = {
    lbsimVersion,
    scenario: { name: scenarioName, sha256: sha256(scenarioBytes) },
    set: [...definition.set],
    axes: definition.axes.map((axis) => ({ path: axis.path, values: [...axis.values] })),
    variants: [...definition.variants],
    seeds: [...definition.seeds],
  };
  return { ...fields, hash: fingerprintHash(fields) };
}

/** The hash of a fingerprint's fields, in the order sweepFingerprint writes them. */
export function fingerprintHash(fingerprint: Omit<SweepFingerprint, "hash">): string {
  const { lbsimVersion, scenario, set, axes, variants, seeds } = fingerprint;
  return sha256(JSON.stringify({ lbsimVersion, scenario: { name: scenario.name, sha256: scenario.sha256 }, set, axes, variants, seeds }));
}

/** Why two fingerprints differ, in words, or null when they are the same sweep. */
export function fingerprintDifference(a: SweepFingerprint, b: SweepFingerprint): string | null {
  if (a.hash === b.hash) return null;
  if (a.lbsimVersion !== b.lbsimVersion) return `lbsim version ${a.lbsimVersion} vs ${b.lbsimVersion}`;
  if (a.scenario.name !== b.scenario.name) return `scenario ${a.scenario.name} vs ${b.scenario.name}`;
  if (a.scenario.sha256 !== b.scenario.sha256) return `the scenario file's contents differ (sha256 ${a.scenario.sha256.slice(0, 12)}... vs ${b.scenario.sha256.slice(0, 12)}...)`;
  if (JSON.stringify(a.set) !== JSON.stringify(b.set)) return `--set ${JSON.stringify(a.set)} vs ${JSON.stringify(b.set)}`;
  if (JSON.stringify(a.axes) !== JSON.stringify(b.axes)) return "the --vary grid differs";
  if (JSON.stringify(a.variants) !== JSON.stringify(b.variants)) return "the variants differ";
  if (JSON.stringify(a.seeds) !== JSON.stringify(b.seeds)) return `the seeds differ (${a.seeds.join(",")} vs ${b.seeds.join(",")})`;
  return "the fingerprint hashes differ";
}
