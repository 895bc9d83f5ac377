#!/usr/bin/env node
// The lbsim command (the package's bin): the command line in program.ts, with this process's arguments.
// LBSIM_DEBUG=1 shows an internal error's stack trace.
import { runLbsim } from "./program.js";

await runLbsim(process.argv, process.env.LBSIM_DEBUG === "1");
