// Reading haproxy.cfg into sections of tokenized lines, as HAProxy's own parser splits them (cfgparse.c,
// parse_line): words separated by blanks, `#` starts a comment, double quotes group (with backslash escapes),
// single quotes group verbatim, a backslash escapes the next character. A section starts at one of the section
// keywords; every other line belongs to the section above it.
import { configError } from "./import-draft.js";

export const HAPROXY_SECTIONS = new Set([
  "global", "defaults", "frontend", "backend", "listen", "peers", "resolvers", "userlist", "mailers", "cache", "program",
  "http-errors", "ring", "log-forward", "fcgi-app", "crt-store", "traces", "acme",
]);

export interface HaproxyLine {
  line: number;
  words: string[];
  /** The line as written, without its comment, for messages and scenario comments. */
  text: string;
}

export interface HaproxySection {
  kind: string;
  name: string;
  line: number;
  /** `defaults` a proxy section takes (`from NAME`), when it names one. */
  from: string | null;
  lines: HaproxyLine[];
}

export function parseHaproxy(text: string, file: string): HaproxySection[] {
  const sections: HaproxySection[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const words = tokenize(raw, file, line);
    if (words.length === 0) return;
    const keyword = words[0]!;
    if (HAPROXY_SECTIONS.has(keyword)) {
      const fromAt = words.indexOf("from");
      sections.push({ kind: keyword, name: words[1] !== undefined && words[1] !== "from" ? words[1] : "", line, from: fromAt > 0 ? words[fromAt + 1] ?? null : null, lines: [] });
      return;
    }
    const current = sections[sections.length - 1];
    if (current === undefined) throw configError(file, line, `expected a section (global, defaults, frontend, backend, listen) before \`${keyword}\``, "a section keyword first");
    current.lines.push({ line, words, text: stripComment(raw).trim() });
  });
  return sections;
}

function stripComment(raw: string): string {
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "\\") i++;
    else if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return raw.slice(0, i);
  }
  return raw;
}

function tokenize(raw: string, file: string, line: number): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      continue;
    }
    if (c === "\\" && i + 1 < raw.length) {
      word += raw[++i]!;
      inWord = true;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === "#") break;
    if (c === " " || c === "\t") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      continue;
    }
    word += c;
    inWord = true;
  }
  if (quote !== null) throw configError(file, line, `unterminated ${quote === '"' ? "double" : "single"} quote`, "a closing quote");
  if (inWord) words.push(word);
  return words;
}
