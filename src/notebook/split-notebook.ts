// A notebook file cut into its parts, each with the line it starts on: the front matter, runs of prose, and the
// fenced blocks lbsim executes (```lbsim, ```chart, ```expect). Fences in any other language stay in the prose
// (they are shown, not run). Lines are 1-based, as editors and error messages count them.
import { notebookError } from "./notebook-error.js";

export const BLOCK_KINDS = ["lbsim", "chart", "expect"] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

export interface ProseSegment {
  kind: "prose";
  /** The Markdown text, lines joined with "\n". */
  text: string;
  /** Line of the segment's first line. */
  line: number;
}

export interface BlockSegment {
  kind: BlockKind;
  /** The YAML between the fences. */
  text: string;
  /** Line of the opening fence. */
  line: number;
  /** Line of the first line inside the fence (line + 1). */
  contentLine: number;
}

export type Segment = ProseSegment | BlockSegment;

export interface SplitNotebook {
  frontMatter: { text: string; line: number };
  segments: Segment[];
}

const FENCE = /^(`{3,}|~{3,})\s*([\w-]*)[^`]*$/;

export function splitNotebook(text: string, file: string): SplitNotebook {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines[0]?.trim() !== "---") throw notebookError(file, 1, "expected front matter first: a line `---`, then title: and question:, then `---`");
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === "---");
  if (end < 0) throw notebookError(file, 1, "the front matter opened here is never closed by a line `---`");
  const frontMatter = { text: lines.slice(1, end).join("\n"), line: 2 };

  const segments: Segment[] = [];
  let prose: string[] = [];
  let proseLine = end + 2;
  const flushProse = (): void => {
    if (prose.some((line) => line.trim() !== "")) segments.push({ kind: "prose", text: prose.join("\n"), line: proseLine });
    prose = [];
  };
  for (let i = end + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE.exec(line);
    if (open === null) {
      if (prose.length === 0) proseLine = i + 1;
      prose.push(line);
      continue;
    }
    const close = closingFence(lines, i, open[1]!);
    if (close < 0) throw notebookError(file, i + 1, `this \`${open[1]}${open[2] ?? ""}\` block is never closed`);
    const language = open[2] ?? "";
    if ((BLOCK_KINDS as readonly string[]).includes(language)) {
      flushProse();
      segments.push({ kind: language as BlockKind, text: lines.slice(i + 1, close).join("\n"), line: i + 1, contentLine: i + 2 });
    } else {
      if (prose.length === 0) proseLine = i + 1;
      prose.push(...lines.slice(i, close + 1));
    }
    i = close;
  }
  flushProse();
  return { frontMatter, segments };
}

/** Index of the line closing the fence opened at `open`: the same character, at least as many, nothing else. */
function closingFence(lines: readonly string[], open: number, fence: string): number {
  const char = fence[0]!;
  for (let i = open + 1; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    if (trimmed.length >= fence.length && [...trimmed].every((c) => c === char)) return i;
  }
  return -1;
}
