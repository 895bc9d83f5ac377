// The named loss causes, in the ledger's fixed order. "ok" is not a loss and "unfinished" is not one either (it was
// still in flight at the horizon: RunSummary.requests.lost excludes it), so both are left out here.
import { OUTCOMES, type Outcome } from "../metrics/ledger.js";
import type { RunSummary } from "./report-data.js";

export type LossCause = Exclude<Outcome, "ok" | "unfinished">;

export const LOSS_CAUSES: readonly LossCause[] = OUTCOMES.filter(
  (outcome): outcome is LossCause => outcome !== "ok" && outcome !== "unfinished",
);

/** Causes with a non-zero count in at least one summary, in ledger order (stable across reports). */
export function lossCausesPresent(summaries: readonly RunSummary[]): LossCause[] {
  return LOSS_CAUSES.filter((cause) => summaries.some((summary) => (summary.requests.outcomes[cause] ?? 0) > 0));
}

/** The `limit` causes with the most requests summed over the summaries; ties keep ledger order. */
export function topLossCauses(summaries: readonly RunSummary[], limit: number): LossCause[] {
  const total = (cause: LossCause): number => summaries.reduce((sum, summary) => sum + (summary.requests.outcomes[cause] ?? 0), 0);
  return lossCausesPresent(summaries)
    .map((cause, order) => ({ cause, order, count: total(cause) }))
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, limit)
    .map((entry) => entry.cause);
}
