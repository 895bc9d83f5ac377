// A child process for interrupted-rerun.test.ts: writes the report in argv[2] (JSON) to argv[3] with the built
// writeReport, tells the parent after the third file, and then waits to be killed (SIGKILL: no cleanup runs).
import { readFileSync } from "node:fs";
import { writeReport } from "../../../dist/report/write-report.js";

const [reportFile, dir] = process.argv.slice(2);
const report = JSON.parse(readFileSync(reportFile, "utf8"));
let written = 0;
await writeReport(report, dir, {
  charts: [], // the data files and the page are enough to interrupt; drawing charts only takes time
  afterWrite: async (path) => {
    if (++written < 3) return;
    process.send({ paused: path });
    await new Promise(() => setInterval(() => {}, 1_000)); // never resolves: the parent kills this process here
  },
});
process.send({ finished: true });
