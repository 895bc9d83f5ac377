// Outcome names as the ledger spells them (src/metrics/ledger.ts OUTCOMES), for client retry conditions and
// for `requests.outcomes.<name>` metrics in expectations.
import { z } from "zod";
import { OUTCOMES } from "../../metrics/ledger.js";

export const outcome = z.enum(OUTCOMES);
