// Block-level Markdown for notebook prose, a small safe subset: headings, paragraphs, fenced code, lists (nested
// by indentation), blockquotes, pipe tables and rules. A blockquote opening with **Predict:** becomes the
// highlighted "predict first" box; one opening with **Try this:** becomes the closing exercise box. The subset is
// small on purpose: the notebooks need nothing more, and every byte of output comes from code we can read.
import { escapeHtml } from "../report/html-escape.js";
import { renderInline } from "./markdown-inline.js";

/** Heading ids already used on the page, so two "Why" headings get `why` and `why-2`. */
export type HeadingIds = Map<string, number>;

export function renderMarkdown(text: string, ids: HeadingIds = new Map()): string {
  return renderBlocks(text.replace(/\t/g, "    ").split("\n"), ids).join("\n");
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^(`{3,}|~{3,})\s*([\w+-]*)/;
const RULE = /^(?:-{3,}|\*{3,}|_{3,})\s*$/;
const QUOTE = /^ {0,3}>/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])\s+/;
const TABLE_RULE = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function renderBlocks(lines: readonly string[], ids: HeadingIds): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading !== null) {
      const level = heading[1]!.length;
      const text = heading[2]!;
      out.push(`<h${level} id="${headingId(text, ids)}">${renderInline(text)}</h${level}>`);
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence !== null) {
      const end = fenceEnd(lines, i, fence[1]!);
      const code = lines.slice(i + 1, end).join("\n");
      const language = fence[2] === "" ? "" : ` class="language-${escapeHtml(fence[2]!)}"`;
      out.push(`<pre><code${language}>${escapeHtml(code)}</code></pre>`);
      i = end + 1;
      continue;
    }
    if (RULE.test(line)) {
      out.push("<hr>");
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && (QUOTE.test(lines[i]!) || (lines[i]!.trim() !== "" && quoted.length > 0 && !startsBlock(lines[i]!)))) {
        quoted.push(lines[i]!.replace(/^ {0,3}> ?/, ""));
        i++;
      }
      out.push(renderQuote(quoted, ids));
      continue;
    }
    if (ITEM.test(line)) {
      const end = listEnd(lines, i);
      out.push(renderList(lines.slice(i, end), ids));
      i = end;
      continue;
    }
    if (line.includes("|") && TABLE_RULE.test(lines[i + 1] ?? "")) {
      let end = i + 2;
      while (end < lines.length && lines[end]!.includes("|") && lines[end]!.trim() !== "") end++;
      out.push(renderTable(lines.slice(i, end)));
      i = end;
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "" && (paragraph.length === 0 || !startsBlock(lines[i]!))) {
      paragraph.push(lines[i]!.trim());
      i++;
    }
    out.push(`<p>${renderInline(paragraph.join("\n"))}</p>`);
  }
  return out;
}

function startsBlock(line: string): boolean {
  return HEADING.test(line) || FENCE.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

function fenceEnd(lines: readonly string[], open: number, fence: string): number {
  for (let i = open + 1; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    if (trimmed.length >= fence.length && [...trimmed].every((c) => c === fence[0])) return i;
  }
  return lines.length;
}

function renderQuote(lines: readonly string[], ids: HeadingIds): string {
  const first = lines.find((line) => line.trim() !== "")?.trim() ?? "";
  const inner = renderBlocks(lines, ids).join("\n");
  if (first.startsWith("**Predict:**")) return `<aside class="predict">\n${inner}\n</aside>`;
  if (first.startsWith("**Try this:**")) return `<aside class="try">\n${inner}\n</aside>`;
  return `<blockquote>\n${inner}\n</blockquote>`;
}

/**
 * A list runs until a blank line followed by something not indented under it, an unindented line that starts
 * another block, or an item of the other kind (bullets after numbers) at the list's own indentation.
 */
function listEnd(lines: readonly string[], start: number): number {
  const first = ITEM.exec(lines[start]!)!;
  const ordered = /\d/.test(first[2]!);
  const sameList = (line: string): boolean => {
    const item = ITEM.exec(line);
    return item !== null && (item[1]!.length > first[1]!.length + 1 || /\d/.test(item[2]!) === ordered);
  };
  let i = start + 1;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      const next = lines[i + 1];
      if (next === undefined || !(sameList(next) || /^\s{2,}\S/.test(next))) return i;
    } else if (ITEM.test(line) ? !sameList(line) : !/^\s/.test(line) && startsBlock(line)) {
      return i;
    }
    i++;
  }
  return i;
}

function renderList(lines: readonly string[], ids: HeadingIds): string {
  const first = ITEM.exec(lines[0]!)!;
  const ordered = /\d/.test(first[2]!);
  const baseIndent = first[1]!.length;
  const items: string[][] = [];
  for (const line of lines) {
    const item = ITEM.exec(line);
    if (item !== null && item[1]!.length <= baseIndent + 1) items.push([line.slice(item[0].length)]);
    else items[items.length - 1]!.push(line.replace(/^ {1,4}/, ""));
  }
  const loose = lines.some((line, index) => line.trim() === "" && index < lines.length - 1);
  const rendered = items.map((item) => {
    const blocks = renderBlocks(item, ids);
    // A tight list item holds its text without a <p>; nested lists and other blocks follow it.
    const body = !loose && blocks[0]?.startsWith("<p>") ? [blocks[0].slice(3, -4), ...blocks.slice(1)] : blocks;
    return `<li>${body.join("\n")}</li>`;
  });
  const start = ordered && first[2] !== "1." && first[2] !== "1)" ? ` start="${Number.parseInt(first[2]!, 10)}"` : "";
  return ordered ? `<ol${start}>\n${rendered.join("\n")}\n</ol>` : `<ul>\n${rendered.join("\n")}\n</ul>`;
}

function renderTable(lines: readonly string[]): string {
  const cells = (line: string): string[] => line.trim().replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
  const align = cells(lines[1]!).map((rule) => (rule.endsWith(":") ? (rule.startsWith(":") ? "center" : "right") : ""));
  const cell = (tag: string, text: string, index: number): string => {
    const a = align[index] ?? "";
    return `<${tag}${a === "" ? "" : ` style="text-align:${a}"`}>${renderInline(text)}</${tag}>`;
  };
  const head = cells(lines[0]!).map((text, index) => cell("th", text, index)).join("");
  const body = lines.slice(2).map((line) => `<tr>${cells(line).map((text, index) => cell("td", text, index)).join("")}</tr>`);
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join("\n")}\n</tbody>\n</table>`;
}

function headingId(text: string, ids: HeadingIds): string {
  const base = text.toLowerCase().replace(/<[^>]*>|[`*_]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "section";
  const seen = ids.get(base) ?? 0;
  ids.set(base, seen + 1);
  return seen === 0 ? base : `${base}-${seen + 1}`;
}
