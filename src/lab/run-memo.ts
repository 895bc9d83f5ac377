// Runs kept for reuse within one command: a run is a pure function of its scenario file, the --set list, the
// variant and the seed (same inputs, byte-identical results), so a second request for the same run can take the
// first one's results. `lbsim notebook --all` renders lessons that run the same library scenario as it is
// (choosing-an-algorithm and least-connections-vs-least-response-time both run variable-service-times), and
// npm test checks the library's expectations and the notebooks' claims on one set of runs.
// The key holds the scenario file's text, not files it names (a replayed log): a memo lives for one command or one
// test file, during which those do not change. Results are shared, not copied; every caller only reads them.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { VariantResult } from "../report/report-data.js";

export interface MemoRun {
  set?: readonly string[];
  variant?: string;
  seed?: string;
}

export class RunMemo {
  private readonly runs = new Map<string, VariantResult[]>();
  /** How many requests were answered from memory (for tests and for whoever wonders). */
  hits = 0;

  /** The results of running `file` as `run` says, computed by `compute` the first time only. */
  results(file: string, run: MemoRun, compute: () => VariantResult[]): VariantResult[] {
    const key = JSON.stringify([resolve(file), readFileSync(file, "utf8"), run.set ?? [], run.variant ?? null, run.seed ?? null]);
    const known = this.runs.get(key);
    if (known !== undefined) {
      this.hits++;
      return known;
    }
    const results = compute();
    this.runs.set(key, results);
    return results;
  }
}
