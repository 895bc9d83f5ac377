// How long a run will take, said before it starts when that is long enough to matter. The estimate is the
// expected number of user requests (the cost sweeps balance shards by) over a measured simulation speed.
import { estimatedRequests } from "../lab/sweep-cells.js";
import type { LoadedScenario } from "../scenario/load.js";
import { formatCount } from "../report/format.js";
import { formatSeconds } from "./progress.js";

/**
 * User requests simulated per second of one core, measured on the 2-core development machine (CPU time less the
 * half second of start-up): variable-service-times, 276k requests in 1.6 s (about 175k/s); black-hole, 109k in
 * 1 s; retry-storm, whose requests retry many times, 72k in 1.2 s (about 60k/s). A middle value; the bar's
 * estimate of the time left, measured as the run goes, corrects it.
 */
export const REQUESTS_PER_SECOND = 80_000;

/** Runs expected to finish sooner than this get no estimate line: it would only be noise. */
export const LONG_RUN_SECONDS = 5;

/** "about 1,520,000 user requests in 6 runs: about 19s", or null for a short run. */
export function runEstimate(loaded: LoadedScenario, seeds: number): string | null {
  const configs = loaded.variants.length > 0 ? loaded.variants.map((v) => v.config) : [loaded.base];
  const requests = configs.reduce((sum, config) => sum + estimatedRequests(config, loaded.file), 0) * seeds;
  const seconds = requests / REQUESTS_PER_SECOND;
  if (seconds < LONG_RUN_SECONDS) return null;
  const runs = configs.length * seeds;
  return `lbsim: about ${formatCount(Math.round(requests))} user requests in ${runs} run${runs === 1 ? "" : "s"}: about ${formatSeconds(seconds)}`;
}
