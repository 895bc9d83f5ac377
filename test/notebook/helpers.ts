// Shared by the notebook tests: a tiny, fast inline scenario and a way to write a notebook to a temporary folder.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Two variants over 10 simulated seconds at 100 requests/s: runs in well under a second. */
export const TINY_SCENARIO = `name: tiny
title: Tiny
seed: 7
duration: 10s
clients:
  - name: users
    count: 100
    load: { open: { poisson: 100/s } }
    classes:
      - { name: req, weight: 1, demand: { lognormal: { mean: 20ms, p99: 80ms } } }
lb:
  algorithm: round-robin
backends:
  - { name: app, count: 3, workers: 4 }
variants:
  - { name: rr, description: round robin, set: { lb.algorithm: round-robin } }
  - { name: lc, description: least connections, set: { lb.algorithm: least-connections } }
`;

/** A ```lbsim block running TINY_SCENARIO inline as `as`. */
export function tinyBlock(as = "t"): string {
  const indented = TINY_SCENARIO.trimEnd().split("\n").map((line) => `  ${line}`).join("\n");
  return "```lbsim\n" + `as: ${as}\nscenario: |\n${indented}\n` + "```";
}

export function notebookText(body: string, title = "Tiny lesson", question = "What happens?"): string {
  return `---\ntitle: ${JSON.stringify(title)}\nquestion: ${JSON.stringify(question)}\n---\n\n${body}\n`;
}

/** Writes a notebook into a fresh temporary folder; returns its path. */
export function writeNotebook(text: string, name = "lesson.md"): string {
  const dir = mkdtempSync(join(tmpdir(), "lbsim-notebook-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
