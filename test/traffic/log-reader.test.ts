// Proves the log reader counts every line: bad lines are skipped and the first five kept with their line numbers,
// a log with under 90% good lines is refused naming them, gzip is read by its magic bytes whatever the file's name,
// and the streaming and whole-file readers agree record for record.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { LogRecord } from "../../src/traffic/log-formats.js";
import { LogFileError, MIN_GOOD_SHARE, readLogSync, streamLog } from "../../src/traffic/log-reader.js";
import { generateRequests, haproxyLine } from "./generate-log.js";

const lines = generateRequests({
  seed: "reader", ratePerSecond: 20, durationS: 10, startS: 1_796_032_800, reuse: 0,
  classes: [{ method: "GET", path: "/a/{id}", weight: 1, demandUs: { kind: "exponential", mean: 5_000 } }],
  networks: [{ prefix: "192.0.2", share: 1, hosts: 10 }],
}).map(haproxyLine);
const dir = mkdtempSync(join(tmpdir(), "lbsim-reader-"));

describe("reading logs", () => {
  it("skips bad lines, keeps the first five with line numbers, and agrees streaming or whole", async () => {
    // 7 bad lines among the good ones: above 90% good, so the log is read.
    const mixed = [...lines];
    for (let k = 0; k < 7; k++) mixed.splice(3 + k * 10, 0, `garbage ${k}`);
    const file = join(dir, "mixed.log");
    writeFileSync(file, mixed.join("\n") + "\n\n");
    const streamed: LogRecord[] = [];
    const counts = await streamLog(file, "haproxy", (r) => streamed.push(r));
    expect(counts.good).toBe(lines.length);
    expect(counts.bad).toBe(7);
    expect(counts.firstBad.map((b) => b.line)).toEqual([4, 14, 24, 34, 44]);
    expect(counts.firstBad[0]!.text).toBe("garbage 0");
    const whole = readLogSync(file, "haproxy");
    expect(whole.records).toEqual(streamed);
  });

  it("refuses a log that is mostly not of the format, naming lines", async () => {
    const file = join(dir, "wrong.log");
    writeFileSync(file, lines.slice(0, 8).join("\n") + "\n" + "x\n".repeat(2));
    // 8 good of 10 is 80%, under the 90% required.
    expect(MIN_GOOD_SHARE).toBe(0.9);
    await expect(streamLog(file, "haproxy", () => {})).rejects.toThrow(LogFileError);
    await expect(streamLog(file, "haproxy", () => {})).rejects.toThrow(/only 8 of 10 lines parse as haproxy \(at least 90% must\)[\s\S]*line 9: /);
    await expect(streamLog(file, "nginx", () => {})).rejects.toThrow(/only 0 of 10/);
  });

  it("reads gzip by its content, whatever the name", async () => {
    const file = join(dir, "rotated.log.1");
    writeFileSync(file, gzipSync(lines.join("\n")));
    let n = 0;
    await streamLog(file, "haproxy", () => n++);
    expect(n).toBe(lines.length);
    expect(readLogSync(file, "haproxy").records).toHaveLength(lines.length);
  });
});
