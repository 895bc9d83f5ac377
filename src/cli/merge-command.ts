// `lbsim merge`: the shards of a sweep (`lbsim sweep --shard K/N --out-shard FILE`, run anywhere) into the table,
// CSVs and report that the whole sweep on one machine writes, byte for byte. Refused, with one line and exit 2,
// when the shards come from different sweeps or lbsim versions, or when a cell is missing or present twice.
import type { Command } from "commander";
import { LBSIM_VERSION } from "../lab/run-plan.js";
import { sweepCells } from "../lab/sweep-cells.js";
import { combineShards, readShardFile, SweepFileError } from "../lab/sweep-store.js";
import { sweepJson, sweepRows, sweepTableText, writeSweepOutputs } from "../report/sweep-report.js";
import { requireReplaceable } from "../report/replace-directory.js";
import { UsageError } from "./exit-codes.js";
import { collect } from "./shared-options.js";
import { DEFAULT_SWEEP_METRICS } from "./sweep-command.js";
import { requireNewFileOrDir } from "./sweep-outputs.js";

interface MergeOptions {
  out?: string;
  metric: string[];
  json?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command("merge")
    .description("merge the shard files of a sweep into its table, CSVs and report (the same bytes as the unsharded sweep)")
    .argument("<shards...>", "shard files written by lbsim sweep --shard K/N --out-shard FILE")
    .option("--out <dir>", "write sweep.txt, sweep.csv, cells.csv, sweep.json and index.html")
    .option("--metric <path>", "a summary metric to tabulate (repeatable; the same as the sweep's)", collect, [])
    .option("--json", "print every cell's summary as one JSON document")
    .addHelpText("after", `
Examples:
  lbsim merge shard-0.json shard-1.json --out reports/sweep
  lbsim merge shards/*.json --metric requests.lost --metric latencyMs.p99`)
    .action(async (paths: string[], options: MergeOptions) => {
      if (options.out !== undefined) {
        requireNewFileOrDir(options.out, "directory");
        await requireReplaceable(options.out);
      }
      try {
        const files = [];
        for (const path of paths) files.push({ path, shard: await readShardFile(path) });
        const version = files[0]!.shard.fingerprint.lbsimVersion;
        if (version !== LBSIM_VERSION) {
          throw new SweepFileError(`${files[0]!.path} was made by lbsim ${version}; this is lbsim ${LBSIM_VERSION}: run the shards again with this version`);
        }
        const { fingerprint, results } = combineShards(files, (fp) => sweepCells(fp.axes, fp.variants, fp.seeds));
        const metrics = options.metric.length > 0 ? options.metric : DEFAULT_SWEEP_METRICS;
        if (options.json) process.stdout.write(sweepJson(fingerprint, results));
        else console.log(sweepTableText(fingerprint.axes.map((a) => a.path), metrics, sweepRows(results, metrics)));
        if (options.out !== undefined) {
          const written = await writeSweepOutputs(options.out, fingerprint, results, metrics);
          if (!options.json) console.log(`\nMerged ${paths.length} shard files, ${results.length} cells. Report: ${written.indexHtml}`);
        }
      } catch (error) {
        if (error instanceof SweepFileError) throw new UsageError(error.message);
        throw error;
      }
    });
}
