// The bounds the model really has, for the schema's numbers: a value `validate` accepts is one `run` can run.
// Each bound lives beside the model code that has it (MAX_WORKERS next to the worker slots it sizes, say); this
// file only words the message, which says the bound and why, so a user knows it is not arbitrary.
import type { z } from "zod";

/** The `{ error }` option of a `.max()` check: "expected at most 10,000 workers (why)". */
export function atMost(max: number, what: string, why: string): { error: string } {
  return { error: `expected at most ${max.toLocaleString("en-US")} ${what} (${why})` };
}

/** Pushes an "expected ..., got ..." issue at `path` for a bound that depends on more than one field. */
export function boundIssue(ctx: z.RefinementCtx, path: Array<string | number>, expected: string, got: string): void {
  ctx.addIssue({ code: "custom", path, message: `expected ${expected}, got ${got}`, params: { expected } });
}
