// The lbsim command line as a function of its arguments, so that tests can run a command in their own process
// (test/cli/in-process.ts) instead of starting Node for each; main.ts calls it with process.argv. User errors
// print one clear message and no stack trace (exit 2); a failed expectation exits 1; a simulation that could not
// finish exits 3 with its seed, and so does a bug: one line, never exit 1 (error-exit.ts). The exit code goes to
// process.exitCode, where the commands also set theirs.
import { Command } from "commander";
import { errorExit } from "./error-exit.js";

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: the modules behind `run` import the simulator,
 * zod and (to draw) vega, which would make `lbsim --version` and `lbsim list` take seconds instead of a tenth
 * of one. Help for every command, an unknown command and no command at all register them all (in this order,
 * which is the order --help lists them). A command missing here still works (it falls to "all of them").
 */
const COMMANDS: ReadonlyArray<{ names: readonly string[]; load: () => Promise<Register> }> = [
  { names: ["run"], load: async () => (await import("./run-command.js")).registerRun },
  { names: ["compare"], load: async () => (await import("./compare-command.js")).registerCompare },
  { names: ["sweep"], load: async () => (await import("./sweep-command.js")).registerSweep },
  { names: ["merge"], load: async () => (await import("./merge-command.js")).registerMerge },
  { names: ["fit"], load: async () => (await import("./fit-command.js")).registerFit },
  { names: ["validate", "schema", "list", "init"], load: async () => (await import("./catalog-commands.js")).registerCatalog },
  { names: ["demo"], load: async () => (await import("./demo-command.js")).registerDemo },
  { names: ["notebook"], load: async () => (await import("./notebook-command.js")).registerNotebook },
  { names: ["playground"], load: async () => (await import("./playground-command.js")).registerPlayground },
  { names: ["import", "predict", "export"], load: async () => (await import("./config-commands.js")).registerConfigCommands },
  { names: ["proxy"], load: async () => (await import("./proxy-command.js")).registerProxy },
  { names: ["conform"], load: async () => (await import("./conform-command.js")).registerConform },
];

const VERSION_FLAGS = ["-V", "--version"];

/** The modules the command line needs: none for --version, the named command's, or all of them. */
function wanted(argv: readonly string[]): ReadonlyArray<(typeof COMMANDS)[number]> {
  const first = argv[2];
  if (first !== undefined && VERSION_FLAGS.includes(first)) return [];
  const named = COMMANDS.find((c) => first !== undefined && c.names.includes(first));
  return named === undefined ? COMMANDS : [named];
}

/**
 * Runs one command line (`argv` as Node gives it: the node binary and the script first). A fresh commander
 * program each time, since a parsed program keeps its options. `debug` shows an internal error's stack.
 */
export async function runLbsim(argv: readonly string[], debug = false): Promise<void> {
  const program = new Command()
    .name("lbsim")
    .description("A deterministic discrete-event simulator and algorithm lab for load balancers")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  try {
    for (const command of wanted(argv)) (await command.load())(program);
    await program.parseAsync([...argv]);
  } catch (error) {
    const { code, message } = errorExit(error, debug);
    if (message !== null) console.error(message);
    process.exitCode = code;
  }
}
