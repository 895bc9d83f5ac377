// A sweep's helper thread (started by sweep-pool.ts). It loads the simulator and the sweep's scenario as soon as it
// starts, while the main thread is still reading and checking the sweep, then waits for a batch: the jobs, their dispatch order and a shared
// counter. It takes the next job from the counter itself (Atomics.add), so it never waits for the main thread,
// which runs jobs from the same counter between its own; it posts each summary back as it finishes.
import { parentPort, workerData } from "node:worker_threads";
import { initHistograms } from "../metrics/histogram.js";
import { jobFailure } from "./sweep-failure.js";
import { loadSweepPoint, runSweepJob } from "./sweep-job.js";
import type { HelperMessage, HelperReply, WarmUp } from "./sweep-pool.js";

const port = parentPort!;
await initHistograms();
const warm = workerData as WarmUp | null;
if (warm !== null) {
  try {
    loadSweepPoint(warm.file, warm.set);
  } catch {
    // The main thread reads the same file and reports what is wrong with it, once, as a usage error.
  }
}

port.on("message", (message: HelperMessage) => {
  const next = new Int32Array(message.next);
  const reply = (r: HelperReply): void => port.postMessage(r);
  for (;;) {
    const k = Atomics.add(next, 0, 1);
    if (k >= message.order.length) break;
    const position = message.order[k]!;
    try {
      reply({ kind: "result", position, summary: runSweepJob(message.jobs[position]!).summary });
    } catch (error) {
      // Stop every thread taking more jobs: the sweep has failed.
      Atomics.store(next, 0, message.order.length);
      reply({ kind: "failed", failure: jobFailure(error) });
      return;
    }
  }
  reply({ kind: "idle" });
});
