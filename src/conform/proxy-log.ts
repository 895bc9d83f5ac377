// Reading what the real proxy did from its own output: one access-log line per request (the server it used,
// the status and HAProxy's termination state) and the health transitions it announced, each with the time the
// line arrived. Pure parsers over timed lines, so they are unit-tested on recorded output.
import type { TimedLine } from "./supervisor.js";

/** The access-log line both proxies are configured to write: `lbsim-req <uri> <server(s)> <status> <state>`. */
export interface ProxyRequestLog {
  id: number;
  /** Servers tried, in order (NGINX lists each try; HAProxy names the last server). */
  servers: string[];
  status: number;
  /** HAProxy's two-letter termination state (`sH` server timeout, `sQ` queue timeout, `SC` refused...), "" for NGINX. */
  termination: string;
}

export interface HealthEvent {
  atMs: number;
  backend: string;
  /** What the proxy now considers the server: "down", "up", "drain", "maint". */
  state: "down" | "up" | "drain" | "maint";
  reason: string;
}

const REQUEST_LINE = /^lbsim-req (\S+) (.+?) (-?\d+|-) ?(\S*)$/;

/** Parses an access-log line written with the lab's formats (see haproxyLogFormat, NGINX_LOG_FORMAT). */
export function parseRequestLine(text: string, serverName: (address: string) => string): ProxyRequestLog | null {
  const match = REQUEST_LINE.exec(text.trim());
  if (match === null) return null;
  const id = /[?&]lbsim-id=(\d+)/.exec(match[1]!);
  if (id === null) return null;
  // NGINX writes "a, b : c" for tries (", ") and internal redirects (" : "); HAProxy one name or "<NOSRV>".
  const servers = match[2]!.split(/\s*[,:]\s+|\s+:\s*/).map((s) => s.trim()).filter((s) => s !== "" && s !== "-" && s !== "<NOSRV>").map(serverName);
  return { id: Number(id[1]), servers, status: match[3] === "-" ? 0 : Math.max(0, Number(match[3])), termination: match[4] ?? "" };
}

/** HAProxy's log line format (`log-format`) that parseRequestLine reads: URI, server, status, termination state. */
export const HAPROXY_LOG_FORMAT = "lbsim-req %HU %s %ST %ts";
/** NGINX's `log_format` body that parseRequestLine reads. */
export const NGINX_LOG_FORMAT = "lbsim-req $request_uri $upstream_addr $status";

const HAPROXY_HEALTH = /Server ([^/\s]+)\/(\S+) is (DOWN|UP|going DOWN for maintenance)(?:, reason: ([^,]+))?/;
const HAPROXY_DRAIN = /Server ([^/\s]+)\/(\S+) (?:is|enters) (?:now )?(?:in )?(?:draining|DRAIN)/i;

/** HAProxy's health announcements on its log output (stdout), e.g. "Server be/app-1 is DOWN, reason: Layer7 timeout". */
export function parseHaproxyHealth(line: TimedLine): HealthEvent | null {
  if (line.stream !== "stdout") return null; // the same message also goes to stderr as a [WARNING]
  const m = HAPROXY_HEALTH.exec(line.text);
  if (m !== null) {
    const state = m[3] === "UP" ? "up" : m[3] === "DOWN" ? "down" : "maint";
    return { atMs: line.atMs, backend: m[2]!, state, reason: (m[4] ?? "").trim() };
  }
  const d = HAPROXY_DRAIN.exec(line.text);
  return d === null ? null : { atMs: line.atMs, backend: d[2]!, state: "drain", reason: "" };
}

const NGINX_DISABLED = /upstream server temporarily disabled.*upstream: "https?:\/\/([^/"]+)/;

/** NGINX's passive-health announcement on its error log: "upstream server temporarily disabled ... upstream: "http://127.0.0.1:port/..."". */
export function parseNginxHealth(line: TimedLine, serverName: (address: string) => string): HealthEvent | null {
  const m = NGINX_DISABLED.exec(line.text);
  return m === null ? null : { atMs: line.atMs, backend: serverName(m[1]!), state: "down", reason: "max_fails" };
}
