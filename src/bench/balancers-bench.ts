// Picks per second for every balancer algorithm at 8 and 1000 backends: npm run bench:balancers [-- --picks=N]
// Each measured pick is followed by the start and end hooks (as the simulator calls them), with a fixed seed and a
// fake clock, so the figure is the cost of one request's balancing work. One JSON line per algorithm x size on
// stdout; a readable table on stderr.
import { createBalancer, type BackendView, type BalancerSpec, type RequestContext } from "../balancers/index.js";
import { Rng } from "../engine/rng.js";
import { parseArgs } from "./args.js";

const options = parseArgs(process.argv.slice(2), { picks: 1_000_000, seed: 1 });

const SPECS: readonly [string, BalancerSpec][] = [
  ["round-robin", { algorithm: "round-robin" }],
  ["weighted-round-robin/smooth", { algorithm: "weighted-round-robin", variant: "smooth" }],
  ["weighted-round-robin/static", { algorithm: "weighted-round-robin", variant: "static" }],
  ["least-connections", { algorithm: "least-connections" }],
  ["least-response-time", { algorithm: "least-response-time" }],
  ["peak-ewma", { algorithm: "peak-ewma" }],
  ["random", { algorithm: "random" }],
  ["power-of-two-choices", { algorithm: "power-of-two-choices" }],
  ["ip-hash", { algorithm: "ip-hash" }],
  ["consistent-hash/ketama", { algorithm: "consistent-hash", method: "ketama" }],
  ["consistent-hash/ketama+bounded", { algorithm: "consistent-hash", method: "ketama", balanceFactor: 1.25 }],
  ["consistent-hash/maglev", { algorithm: "consistent-hash", method: "maglev" }],
  ["consistent-hash/modulo", { algorithm: "consistent-hash", method: "modulo" }],
  ["sticky/round-robin", { algorithm: "sticky", maxSessions: 10_000 }],
  ["first", { algorithm: "first" }],
];

/** A pool of contexts built before timing, so the loop measures balancing, not string building. */
const CONTEXTS: RequestContext[] = Array.from({ length: 4096 }, (_, i) => ({
  clientAddress: `10.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`,
  hashKey: `/item/${i}`,
  sessionCookie: `session-${i % 2048}`,
  method: "GET",
}));

function bench(name: string, spec: BalancerSpec, backends: number): Record<string, unknown> {
  let t = 0;
  const clock = { nowUs: () => t };
  const rng = Rng.root(options.seed).fork(`bench/${name}`);
  const configs = Array.from({ length: backends }, (_, i) => ({ id: `b${i}`, weight: 1 + (i % 3), maxConnections: spec.algorithm === "first" ? 4 : 0 }));
  const balancer = createBalancer(spec, { clock, rng, backends: configs });
  const outcome = { latencyUs: 2_000, success: true };
  // Warm up: build rings and tables, let the JIT settle; keep a few requests in flight so loads differ.
  // A ring of the requests in flight: each new request ends the one started `backends` picks earlier.
  const inFlight: (BackendView | null)[] = new Array<BackendView | null>(backends).fill(null);
  let slot = 0;
  const run = (n: number): number => {
    let misses = 0;
    for (let i = 0; i < n; i++) {
      t += 10;
      const picked = balancer.pick(CONTEXTS[i & 4095]!);
      const b = picked.backend;
      if (b === null) {
        misses++;
        continue;
      }
      balancer.onRequestStart(b);
      const oldest = inFlight[slot];
      if (oldest) balancer.onRequestEnd(oldest, outcome);
      inFlight[slot] = b;
      slot = slot + 1 === backends ? 0 : slot + 1;
    }
    return misses;
  };
  run(Math.min(100_000, options.picks));
  const start = process.hrtime.bigint();
  const misses = run(options.picks);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { impl: "lbsim-balancers", algorithm: name, backends, picks: options.picks, misses, seconds, picksPerSec: Math.round(options.picks / seconds) };
}

const rows: Record<string, unknown>[] = [];
for (const [name, spec] of SPECS) {
  for (const backends of [8, 1000]) {
    const row = bench(name, spec, backends);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
const byName = new Map<string, Record<number, number>>();
for (const row of rows) {
  const entry = byName.get(row.algorithm as string) ?? {};
  entry[row.backends as number] = row.picksPerSec as number;
  byName.set(row.algorithm as string, entry);
}
const fmt = (n: number | undefined) => (n === undefined ? "-" : `${(n / 1e6).toFixed(2)}M`).padStart(10);
process.stderr.write(`\n${"algorithm".padEnd(34)}${"8 backends".padStart(10)}${"1000".padStart(10)}  (picks/s, pick+start+end)\n`);
for (const [name, sizes] of byName) process.stderr.write(`${name.padEnd(34)}${fmt(sizes[8])}${fmt(sizes[1000])}\n`);
