// Proves the exit codes mean what the README says for every kind of error that reaches the top: 2 for bad
// input, 3 with one line for a failed simulation and for an unexpected internal error, never 1 (which only
// ever means an expect: failed), and no stack trace unless LBSIM_DEBUG asks for it.
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { SimulationError } from "../../src/engine/invariant.js";
import { errorExit } from "../../src/cli/error-exit.js";
import { UsageError } from "../../src/cli/exit-codes.js";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";

describe("errorExit", () => {
  it("an unexpected error is exit 3 and one line, not exit 1 and a stack trace", () => {
    const { code, message } = errorExit(new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line"));
    expect(code).toBe(3);
    expect(message).toBe("lbsim: internal error (a bug in lbsim; please report it with the command line): TypeError: Cannot read properties of undefined (reading 'x')");
    expect(errorExit("a thrown string").code).toBe(3);
  });

  it("a failed simulation is exit 3 naming the seed", () => {
    const { code, message } = errorExit(new SimulationError("event budget of 10 exhausted before the horizon", "42", 1_000));
    expect(code).toBe(3);
    expect(message).toBe("lbsim: the simulation failed: event budget of 10 exhausted before the horizon (seed 42, t=1000us)");
  });

  it("bad input is exit 2", () => {
    const scenario = new ScenarioError([{ file: "a.yaml", line: 3, column: 1, path: "lb", message: "unknown key `lbb`", expected: "a key" }]);
    expect(errorExit(scenario)).toEqual({ code: 2, message: "a.yaml:3:1: lb: unknown key `lbb`" });
    expect(errorExit(new UsageError("--model must be jsq2 or mm1"))).toEqual({ code: 2, message: "lbsim: --model must be jsq2 or mm1" });
    expect(errorExit(new CommanderError(1, "commander.unknownOption", "unknown option"))).toEqual({ code: 2, message: null });
    expect(errorExit(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"))).toEqual({ code: 0, message: null });
  });

  it("LBSIM_DEBUG=1 adds the stack for whoever fixes the bug", () => {
    const { message } = errorExit(new RangeError("Invalid typed array length: 1000000000000"), true);
    expect(message!.split("\n")[0]).toBe("lbsim: internal error (a bug in lbsim; please report it with the command line): RangeError: Invalid typed array length: 1000000000000");
    expect(message).toMatch(/\n\s+at /);
  });
});
