// The bounds the model really has, for the schema's numbers: a value `validate` accepts is one `run` can run.
// Each bound lives beside the model code that has it (MAX_WORKERS next to the worker slots it sizes, say); this
// file only words the message, which says the bound and why, so a user knows it is not arbitrary.
import type { z } from "zod";

/**
 * Size limits on what people type: generous for a hand-written scenario, small enough that a hostile file cannot
 * blow up a report (a name is every chart's subtitle and a column of every CSV; 100,000 characters of it made a
 * 14.8 GB report). The library's longest description is under 1,000 characters.
 */
export const MAX_NAME_LENGTH = 64;
export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 10_000;
/** A scenario or notebook file: the library's largest is under 7 KB. */
export const MAX_FILE_BYTES = 1024 * 1024;

const NAME_WHY = "names label files, charts, legends and CSV columns";

/** A `.max()` check on a name's length, with its reason. */
export const nameLength = () => [MAX_NAME_LENGTH, atMost(MAX_NAME_LENGTH, "characters", NAME_WHY)] as const;
export const titleLength = () => [MAX_TITLE_LENGTH, atMost(MAX_TITLE_LENGTH, "characters", "a title heads the report")] as const;
export const descriptionLength = () => [MAX_DESCRIPTION_LENGTH, atMost(MAX_DESCRIPTION_LENGTH, "characters", "a description is a few paragraphs on the report's first page")] as const;

/** The `{ error }` option of a `.max()` check: "expected at most 10,000 workers (why)". */
export function atMost(max: number, what: string, why: string): { error: string } {
  return { error: `expected at most ${max.toLocaleString("en-US")} ${what} (${why})` };
}

/** Pushes an "expected ..., got ..." issue at `path` for a bound that depends on more than one field. */
export function boundIssue(ctx: z.RefinementCtx, path: Array<string | number>, expected: string, got: string): void {
  ctx.addIssue({ code: "custom", path, message: `expected ${expected}, got ${got}`, params: { expected } });
}
