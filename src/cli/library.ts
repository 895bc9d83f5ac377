// The scenario library shipped with lbsim (<package>/scenarios), read lightly: `lbsim list` and looking a
// scenario up by name need only each file's name, title and description, so they parse the YAML and stop
// there (validating all fifteen scenarios and their variants takes seconds; `lbsim validate` does that).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { didYouMean } from "../scenario/errors/did-you-mean.js";
import { UsageError } from "./exit-codes.js";

export const LIBRARY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "scenarios");

export interface LibraryEntry {
  file: string;
  /** The scenario's `name`, or undefined when the file does not parse or has none. */
  name: string | undefined;
  title: string;
}

/** Every scenario file in `dir`, sorted by file name, with what `lbsim list` shows of it. */
export async function libraryEntries(dir: string = LIBRARY_DIR): Promise<LibraryEntry[]> {
  const { parse } = await import("yaml"); // not for `lbsim --version` and --help
  return readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => readEntry(join(dir, f), parse));
}

function readEntry(file: string, parse: (text: string, options: { maxAliasCount: number }) => unknown): LibraryEntry {
  try {
    const doc = parse(headOf(readFileSync(file, "utf8")), { maxAliasCount: 100 }) as Record<string, unknown> | null;
    const name = typeof doc?.name === "string" ? doc.name : undefined;
    const title = typeof doc?.title === "string" ? doc.title : typeof doc?.description === "string" ? doc.description : "";
    return { file, name, title };
  } catch {
    return { file, name: undefined, title: "" };
  }
}

/**
 * The text up to the first top-level key other than name, title and description: those come first in a
 * scenario, and parsing only them is ten times faster than parsing the whole file (JSON is parsed whole).
 */
function headOf(text: string): string {
  if (text.trimStart().startsWith("{")) return text;
  const lines = text.split("\n");
  const end = lines.findIndex((line) => /^[A-Za-z_][\w-]*\s*:/.test(line) && !/^(name|title|description)\s*:/.test(line));
  return end < 0 ? text : lines.slice(0, end).join("\n");
}

/**
 * The file a scenario argument names: a path as given when it exists (or looks like a path), else the library
 * scenario of that name, as `lbsim list` shows it (`lbsim run black-hole`).
 */
export async function scenarioArgument(arg: string): Promise<string> {
  if (existsSync(arg) || /[\\/]|\.(ya?ml|json)$/i.test(arg)) return arg;
  const entries = existsSync(LIBRARY_DIR) ? await libraryEntries() : [];
  const found = entries.find((e) => e.name === arg);
  if (found !== undefined) return found.file;
  const suggestion = didYouMean(arg, entries.flatMap((e) => (e.name === undefined ? [] : [e.name])));
  throw new UsageError(`no file ${arg} here and no library scenario named ${arg}${suggestion === undefined ? "" : ` (did you mean \`${suggestion}\`?)`}; lbsim list shows the library`);
}
