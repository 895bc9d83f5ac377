// Reading an access log: line by line, gzip or plain (told by the file's first two bytes, not its name), with
// every line that does not parse counted and the first few kept with their line numbers. Two drivers share the
// line parsers: a streaming one for `lbsim fit` (gigabytes in bounded memory) and a whole-file one for replay
// (the trace is held in memory anyway, and building a run is synchronous).
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip, gunzipSync } from "node:zlib";
import { csvLineParser, type LogFormat, LogLineError, type LogRecord, parseHaproxyLine, parseNginxLine } from "./log-formats.js";

/** A log with fewer good lines than this share of its non-empty lines is refused: it is probably another format. */
export const MIN_GOOD_SHARE = 0.9;
const KEEP_BAD = 5;

export interface BadLine {
  line: number;
  reason: string;
  text: string;
}

export interface ScanCounts {
  lines: number;
  good: number;
  bad: number;
  firstBad: BadLine[];
}

/** A user error in a log: the CLI prints it as one line (plus the bad lines it names) and exits 2. */
export class LogFileError extends Error {}

function isGzip(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** The line parser for a format; csv takes its header from the first line. */
class LineParser {
  private csv: ((line: string) => LogRecord) | null = null;
  readonly counts: ScanCounts = { lines: 0, good: 0, bad: 0, firstBad: [] };

  constructor(private readonly format: LogFormat) {}

  /** The record of one line, or null for a blank, header or bad line (counted). */
  parse(text: string): LogRecord | null {
    const counts = this.counts;
    counts.lines++;
    const line = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (line.trim() === "") return null;
    if (this.format === "csv" && this.csv === null) {
      try {
        this.csv = csvLineParser(line);
      } catch (error) {
        throw new LogFileError(`line ${counts.lines}: ${(error as Error).message}`);
      }
      return null;
    }
    try {
      const record = this.format === "nginx" ? parseNginxLine(line) : this.format === "haproxy" ? parseHaproxyLine(line) : this.csv!(line);
      counts.good++;
      return record;
    } catch (error) {
      if (!(error instanceof LogLineError)) throw error;
      counts.bad++;
      if (counts.firstBad.length < KEEP_BAD) counts.firstBad.push({ line: counts.lines, reason: error.message, text: line.slice(0, 160) });
      return null;
    }
  }
}

/** Throws LogFileError when too few lines parsed; otherwise the counts, for a summary line. */
export function checkCounts(path: string, format: LogFormat, counts: ScanCounts): ScanCounts {
  const considered = counts.good + counts.bad;
  if (considered === 0) throw new LogFileError(`${path}: no request lines found (is it empty, or not a ${format} log?)`);
  if (counts.good / considered < MIN_GOOD_SHARE) {
    const shown = counts.firstBad.map((b) => `  line ${b.line}: ${b.reason}\n    ${b.text}`).join("\n");
    throw new LogFileError(`${path}: only ${counts.good} of ${considered} lines parse as ${format} (at least ${MIN_GOOD_SHARE * 100}% must); the first bad ones:\n${shown}`);
  }
  return counts;
}

export interface StreamOptions {
  /** Called about every 64k lines with the share of the file read (compressed bytes for gzip). */
  onProgress?: (fraction: number) => void;
}

/** Streams a log (gzip or plain) through the format's parser, handing each good record to `onRecord`. */
export async function streamLog(path: string, format: LogFormat, onRecord: (record: LogRecord) => void, options: StreamOptions = {}): Promise<ScanCounts> {
  const size = statSync(path).size;
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = isGzip(path) ? file.pipe(createGunzip()) : file;
  file.on("error", (error) => input.destroy(error));
  const parser = new LineParser(format);
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    const record = parser.parse(line);
    if (record !== null) onRecord(record);
    if (options.onProgress !== undefined && (parser.counts.lines & 0xffff) === 0) options.onProgress(size === 0 ? 1 : file.bytesRead / size);
  }
  return checkCounts(path, format, parser.counts);
}

/** Every good record of a log, read whole (for replay). */
export function readLogSync(path: string, format: LogFormat): { records: LogRecord[]; counts: ScanCounts } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new LogFileError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
  const parser = new LineParser(format);
  const records: LogRecord[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const record = parser.parse(text.slice(start, end));
    if (record !== null) records.push(record);
    start = end + 1;
  }
  return { records, counts: checkCounts(path, format, parser.counts) };
}
