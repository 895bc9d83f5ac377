// The commands around scenario files: validate, schema, list, init. The schema and the loader (zod, a second or
// so to build on a busy machine) are imported only by the commands that use them, so `lbsim list` stays fast.
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../report/atomic-write.js";
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import { STARTER_SCENARIO } from "../scenario/starter.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { LIBRARY_DIR, libraryEntries } from "./library.js";

export { LIBRARY_DIR };
import { formatTable } from "./table.js";

export function registerCatalog(program: Command): void {
  program
    .command("validate")
    .description("check scenario files without running them; every problem with file, line and field")
    .argument("<files...>", "scenario files")
    .addHelpText("after", "\nExample:\n  lbsim validate scenarios/*.yaml")
    .action(async (files: string[]) => {
      const { loadScenario } = await import("../scenario/load.js");
      let failed = false;
      for (const file of files) {
        try {
          const loaded = loadScenario(file);
          console.log(`ok   ${file} (${loaded.base.name}, ${loaded.variants.length} variant${loaded.variants.length === 1 ? "" : "s"})`);
        } catch (error) {
          if (!(error instanceof ScenarioError)) throw error;
          failed = true;
          console.error(error.format());
        }
      }
      if (failed) process.exitCode = EXIT.badInput;
    });

  program
    .command("schema")
    .description("print the JSON Schema of scenario files (for editor completion and validation)")
    .addHelpText("after", "\nExample:\n  lbsim schema > lbsim.schema.json\n  # then, first line of a scenario: # yaml-language-server: $schema=./lbsim.schema.json")
    .action(async () => {
      const { scenarioJsonSchema } = await import("../scenario/json-schema.js");
      console.log(JSON.stringify(scenarioJsonSchema(), null, 2));
    });

  program
    .command("list")
    .description("list the scenario library, one line each")
    .option("--dir <dir>", "list another folder of scenarios", LIBRARY_DIR)
    .addHelpText("after", "\nRun one by its name: lbsim run black-hole. list does not validate; lbsim validate does.\n\nExample:\n  lbsim list")
    .action(async (options: { dir: string }) => {
      if (!existsSync(options.dir)) throw new UsageError(`no scenario folder at ${options.dir}`);
      const rows = (await libraryEntries(options.dir)).map((entry) => [
        entry.name ?? "(unreadable)",
        entry.name === undefined ? "(not a scenario file; run lbsim validate)" : firstSentence(entry.title),
        relative(process.cwd(), entry.file),
      ]);
      console.log(formatTable(["scenario", "what it shows", "file"], rows));
    });

  program
    .command("init")
    .description("write a commented starter scenario")
    .argument("[file]", "where to write it; - prints it", "scenario.yaml")
    .option("--force", "overwrite an existing file")
    .addHelpText("after", "\nExamples:\n  lbsim init my-service.yaml\n  lbsim init - | less")
    .action(async (file: string, options: { force?: boolean }) => {
      if (file === "-") {
        process.stdout.write(STARTER_SCENARIO);
        return;
      }
      if (existsSync(file) && !options.force) throw new UsageError(`${file} exists; pass --force to overwrite it`);
      await writeFileAtomic(file, STARTER_SCENARIO);
      console.log(`Wrote ${file}. Next: lbsim run ${file}\nFor completion in editors: lbsim schema > ${join(dirname(file), "lbsim.schema.json")} (its first line points there)`);
    });
}

function firstSentence(text: string): string {
  const sentence = text.split(/(?<=\.)\s/)[0] ?? "";
  return sentence.length > 90 ? `${sentence.slice(0, 87)}...` : sentence;
}
