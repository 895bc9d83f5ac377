// Proves a notebook is cut into front matter, prose and the three executable block kinds with the right lines, and
// that each block's YAML is parsed and validated (lbsim, chart, expect), other fences staying prose.
import { describe, expect, it } from "vitest";
import { parseRunBlock } from "../../src/notebook/run-block.js";
import { splitNotebook, type BlockSegment } from "../../src/notebook/split-notebook.js";
import { parseFrontMatter } from "../../src/notebook/front-matter.js";

const TEXT = [
  "---", // 1
  "title: T", // 2
  "question: Q?", // 3
  "tags: [a, b]", // 4
  "---", // 5
  "Intro {{ x.y.z }}", // 6
  "", // 7
  "```lbsim", // 8
  "as: bh", // 9
  "run: scenarios/black-hole.yaml", // 10
  "set: [ \"lb.health.interval=1s\" ]", // 11
  "```", // 12
  "```yaml", // 13
  "shown: only", // 14
  "```", // 15
  "```chart", // 16
  "{ from: bh, chart: health-timeline }", // 17
  "```", // 18
  "```expect", // 19
  "- { run: bh, variant: http, metric: requests.lost, below: { variant: tcp, factor: 0.1 } }", // 20
  "```", // 21
].join("\n");

describe("splitNotebook", () => {
  const { frontMatter, segments } = splitNotebook(TEXT, "n.md");

  it("reads the front matter with its line", () => {
    expect(parseFrontMatter(frontMatter.text, frontMatter.line, "n.md")).toEqual({ title: "T", question: "Q?", tags: ["a", "b"] });
  });

  it("finds each block kind at its fence line; other languages stay in the prose", () => {
    expect(segments.map((s) => [s.kind, s.line])).toEqual([
      ["prose", 6],
      ["lbsim", 8],
      ["prose", 13],
      ["chart", 16],
      ["expect", 19],
    ]);
    expect(segments[2]!.text).toContain("shown: only");
  });

  it("parses an lbsim block's fields", () => {
    const { block } = parseRunBlock(segments[1] as BlockSegment, "n.md");
    expect(block).toEqual({ as: "bh", run: "scenarios/black-hole.yaml", set: ["lb.health.interval=1s"] });
  });

  it("requires front matter and closed fences, naming the line", () => {
    expect(() => splitNotebook("# no front matter\n", "n.md")).toThrow(/n\.md:1:1: expected front matter/);
    expect(() => splitNotebook("---\ntitle: T\nquestion: Q\n---\n\n```lbsim\nas: x\n", "n.md")).toThrow(/n\.md:6:1: .*never closed/);
  });

  it("rejects a block with both run and scenario, at its line", () => {
    const seg: BlockSegment = { kind: "lbsim", text: "as: x\nrun: a.yaml\nscenario: b", line: 10, contentLine: 11 };
    expect(() => parseRunBlock(seg, "n.md")).toThrow(/n\.md:11:1: .*exactly one of `run:`/);
  });
});
