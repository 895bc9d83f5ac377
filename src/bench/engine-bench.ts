// The canonical speed workload of ../shared/bench/README.md on lbsim's engine, printing the same JSON fields as
// the hand-written baseline so the two can be compared line by line:
//   npm run bench -- --model=jsq2|mm1 --n=1000000 --seed=1
//   npm run bench -- --model=pending --n=1000000     (memory per pending event)
// Time unit: the baseline's unit time is one simulated second (1e6 us), so mean and p99 print in its units.
import { EventQueue } from "../engine/event-queue.js";
import { US_PER_SECOND } from "../engine/time.js";
import { initHistograms } from "../metrics/histogram.js";
import { canonicalStation } from "../model/canonical-workload.js";
import { runStation } from "../model/queueing-station.js";
import { parseArgs } from "./args.js";

const options = parseArgs(process.argv.slice(2), { model: "jsq2", n: 1_000_000, c: 8, rho: 0.9, mu: 1, seed: 1, dispatcher: "production", events: "posted" });

async function benchQueueing(): Promise<void> {
  await initHistograms();
  const model = options.model === "mm1" ? "mm1" : "jsq2";
  const dispatcher = options.dispatcher === "inline" ? "inline" : "production";
  const config = canonicalStation({ model, arrivals: options.n, seed: options.seed, rho: options.rho, servers: options.c, mu: options.mu, dispatcher });
  const servers = config.servers;
  const start = process.hrtime.bigint();
  // jsq2 dispatches through the production power-of-two-choices balancer (src/balancers), as a proxy would;
  // --dispatcher=inline uses the baseline's hand-written two-choice rule, to measure what the library costs.
  const result = runStation(config);
  const simulated = process.hrtime.bigint();
  const p99 = result.sojournUs.getValueAtPercentile(99) / US_PER_SECOND;
  const finished = process.hrtime.bigint();
  result.sojournUs.destroy();
  const simSeconds = Number(simulated - start) / 1e9;
  console.log(JSON.stringify({
    impl: "lbsim-engine", model: options.model, dispatcher: servers > 1 ? options.dispatcher : "none", seed: options.seed, n: options.n, c: servers,
    events: result.run.events, completed: result.completed, simSeconds, pctSeconds: Number(finished - simulated) / 1e9,
    eventsPerSec: result.run.events / simSeconds, requestsPerSec: result.completed / simSeconds,
    mean: result.meanSojournUs / US_PER_SECOND, p99, simEndTime: result.run.endTimeUs / US_PER_SECOND,
  }));
}

/**
 * Bytes per pending event: schedule n events at random times and measure what the heap and arrays grew by.
 * --events=posted (the common, never-cancelled kind) or --events=timers (cancellable); one kind per process, so
 * buffers freed by one measurement cannot flatter the other.
 */
function benchPendingMemory(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc for the memory measurement");
  const cancellable = options.events === "timers";
  gc();
  const before = process.memoryUsage();
  const queue = new EventQueue();
  let x = options.seed;
  for (let i = 0; i < options.n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    if (cancellable) queue.push(x, 1, i);
    else queue.post(x, 1, i);
  }
  gc();
  const after = process.memoryUsage();
  const grown = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  if (queue.size !== options.n) throw new Error("events went missing");
  console.log(JSON.stringify({
    impl: "lbsim-engine", model: "pending", events: cancellable ? "timers" : "posted", n: options.n, pending: queue.size,
    bytesPerPendingEvent: grown / options.n, allocatedBytesPerPendingEvent: queue.allocatedBytes / options.n,
  }));
}

if (options.model === "pending") benchPendingMemory();
else if (options.model === "jsq2" || options.model === "mm1") await benchQueueing();
else throw new Error(`unknown --model=${options.model}: jsq2, mm1 or pending`);
