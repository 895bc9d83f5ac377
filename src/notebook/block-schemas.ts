// What each fenced block may say. A ```lbsim block names a run (`as`) and either a scenario file (`run`) or an
// inline scenario (`scenario`); a ```chart block draws one of the report's charts from a run; an ```expect block is
// a list of the scenario `expect:` lines plus the run they read. Strict objects: a misspelt key is an error,
// not a silently ignored option.
import { z } from "zod";
import { REPORT_CHARTS } from "../report/charts.js";

/** A run's name: used in `{{ as.variant.metric }}`, so no dots and no spaces. */
const runName = z.string().regex(/^[A-Za-z][\w-]*$/, "a name of letters, digits, - and _ (no dots), such as bh");

export const lbsimBlock = z
  .strictObject({
    as: runName,
    /** A scenario file, relative to the directory lbsim runs in (the project root), as `lbsim run` takes it. */
    run: z.string().min(1).optional(),
    /** An inline scenario: the whole scenario YAML as a block string (`scenario: |`). */
    scenario: z.string().min(1).optional(),
    seed: z.union([z.string().min(1), z.number().int()]).optional(),
    /** `path=value` overrides, as `--set` takes them. */
    set: z.array(z.string().min(1)).optional(),
    variant: z.string().min(1).optional(),
  })
  .superRefine((block, ctx) => {
    if ((block.run === undefined) === (block.scenario === undefined)) {
      ctx.addIssue({ code: "custom", message: "expected exactly one of `run:` (a scenario file) or `scenario:` (inline YAML)", params: { expected: "`run:` or `scenario:`" } });
    }
  });

export type LbsimBlock = z.output<typeof lbsimBlock>;

export const CHART_IDS = REPORT_CHARTS.map((chart) => chart.id);

export const chartBlock = z.strictObject({
  from: runName,
  chart: z.enum(CHART_IDS as [string, ...string[]]),
  /** Draw only these variants of the run (a long timeline reads better with the two that matter). */
  variants: z.array(z.string().min(1)).min(1).optional(),
  /** A sentence under the chart; the chart's own caption when absent. */
  caption: z.string().min(1).optional(),
});

export type ChartBlock = z.output<typeof chartBlock>;

/** The outer shape of one expect entry; `above`/`below` are checked by the scenario's own expectation schema. */
export const expectEntry = z.strictObject({
  run: runName,
  variant: z.string().min(1).optional(),
  metric: z.string().min(1),
  above: z.unknown().optional(),
  below: z.unknown().optional(),
});

export const expectBlock = z.array(expectEntry).min(1);
