// The worker-thread entry for sweeps (piscina loads this file's default export).
import { runSweepJob, type SweepJob, type SweepJobResult } from "./sweep-job.js";

export default function run(job: SweepJob): Promise<SweepJobResult> {
  return runSweepJob(job);
}
