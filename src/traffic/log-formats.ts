// Access-log lines into request records: what a balancer already writes is what lbsim needs to fit or replay a
// workload. Three formats, each parsed by one pure function of one line (so a streaming reader and a whole-file
// reader share them):
//
// - `nginx`: the `combined` format followed by `key=value` fields. The fields lbsim reads, and the `log_format`
//   directive that writes them (ngx_http_log_module and ngx_http_upstream_module variables):
//     log_format lbsim '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
//                      '"$http_referer" "$http_user_agent" rt=$request_time urt="$upstream_response_time" '
//                      'uct="$upstream_connect_time" msec=$msec cr=$connection_requests';
//   `$msec` is the log time (the end of the request) to the millisecond, so the arrival is msec - rt. Without it
//   lbsim falls back to `$time_local`, whole seconds. `$upstream_response_time` lists one time per upstream
//   tried ("0.002, 0.150"): the last is the server that answered.
// - `haproxy`: `option httplog` (HAProxy configuration manual, 8.2.3 "HTTP log format"), with or without the
//   syslog prefix: client ip:port, [accept date with milliseconds], frontend, backend/server, the timers
//   TR/Tw/Tc/Tr/Ta (1.x: Tq/Tw/Tc/Tr/Tt; Tr is fourth in both), status, bytes, ..., "request line".
// - `csv`: a header line naming the columns `timestamp` (Unix seconds, fractions allowed), `method`, `path`,
//   `client`, `duration_ms` (time at the backend), and optionally `status` and `connection_requests`.

export type LogFormat = "nginx" | "haproxy" | "csv";
export const LOG_FORMATS: readonly LogFormat[] = ["nginx", "haproxy", "csv"];

export interface LogRecord {
  /** When the request arrived, in microseconds since the Unix epoch. */
  arrivalUs: number;
  method: string;
  /** The path without its query string. */
  path: string;
  /** The client's address as logged (pseudonymised before anything leaves the reader). */
  client: string;
  /** Time the server that answered spent on it, what the balancer added taken out; NaN when the log has none. */
  demandUs: number;
  status: number;
  /** True when the request reused a keepalive connection, false when it opened one, null when not logged. */
  reusedConnection: boolean | null;
}

/** A line that does not parse: why, in words. */
export class LogLineError extends Error {}

/** What the first lines of a log say it has: for messages that name the field and the directive that adds it. */
export interface FieldPresence {
  arrivalMs: boolean;
  demand: boolean;
  connectionReuse: boolean;
}

const MONTHS: Readonly<Record<string, number>> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** `10/Oct/2000:13:55:36 -0700` or `06/Feb/2009:12:14:14.655` (no zone: UTC) to microseconds since the epoch. */
export function parseLogDateUs(text: string): number {
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ([+-])(\d{2})(\d{2}))?$/.exec(text);
  const month = m === null ? undefined : MONTHS[m[2]!];
  if (m === null || month === undefined) throw new LogLineError(`expected a date like 10/Oct/2000:13:55:36 -0700, got "${text}"`);
  const fraction = m[7] === undefined ? 0 : Number(m[7].padEnd(6, "0"));
  const offsetMin = m[8] === undefined ? 0 : (m[8] === "-" ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  const utcMs = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMin * 60_000;
  return utcMs * 1000 + fraction;
}

/** "GET /a/b?c=1 HTTP/1.1" into method and path (query dropped). */
function requestLine(text: string): { method: string; path: string } {
  const m = /^([A-Z]+) (\S+)(?: HTTP\/[\d.]+)?$/.exec(text);
  if (m === null) throw new LogLineError(`expected a request line like "GET /path HTTP/1.1", got "${text.slice(0, 80)}"`);
  const target = m[2]!;
  const query = target.indexOf("?");
  return { method: m[1]!, path: query >= 0 ? target.slice(0, query) : target };
}

/** The last of NGINX's comma- (or colon-, for internal redirects) separated upstream times, in seconds. */
function lastUpstreamSeconds(text: string | undefined): number {
  if (text === undefined || text === "" || text === "-") return Number.NaN;
  const parts = text.split(/[,:]\s*/);
  const last = parts[parts.length - 1]!.trim();
  return last === "-" ? Number.NaN : Number(last);
}

const NGINX_COMBINED = /^(\S+) \S+ \S+ \[([^\]]+)\] "([^"]*)" (\d{3}) (\S+)(?: "[^"]*" "[^"]*")?(.*)$/;
const KEY_VALUE = /(\w+)=(?:"([^"]*)"|(\S+))/g;

export function parseNginxLine(line: string): LogRecord {
  const m = NGINX_COMBINED.exec(line);
  if (m === null) throw new LogLineError("expected NGINX's combined format: $remote_addr - $remote_user [$time_local] \"$request\" $status ...");
  const fields = new Map<string, string>();
  for (const kv of m[6]!.matchAll(KEY_VALUE)) fields.set(kv[1]!, kv[2] ?? kv[3]!);
  const requestSeconds = Number(fields.get("rt") ?? fields.get("request_time") ?? Number.NaN);
  const msec = fields.get("msec");
  const loggedUs = msec !== undefined ? Math.round(Number(msec) * 1e6) : parseLogDateUs(m[2]!);
  if (!Number.isFinite(loggedUs)) throw new LogLineError(`expected msec= to be Unix seconds such as 1700000000.123, got "${msec}"`);
  // The log line is written when the request ends: it arrived $request_time earlier.
  const arrivalUs = Number.isFinite(requestSeconds) ? loggedUs - Math.round(requestSeconds * 1e6) : loggedUs;
  const upstream = lastUpstreamSeconds(fields.get("urt") ?? fields.get("upstream_response_time"));
  const connect = lastUpstreamSeconds(fields.get("uct") ?? fields.get("upstream_connect_time"));
  // $upstream_response_time runs from the start of the connection to the upstream: the handshake is the network's,
  // not the server's work, so it comes off when it is logged.
  const demandUs = Number.isFinite(upstream) ? Math.max(0, Math.round((upstream - (Number.isFinite(connect) ? connect : 0)) * 1e6)) : Number.NaN;
  const cr = fields.get("cr") ?? fields.get("connection_requests");
  return {
    arrivalUs, ...requestLine(m[3]!), client: m[1]!, demandUs, status: Number(m[4]),
    reusedConnection: cr === undefined ? null : Number(cr) > 1,
  };
}

const HAPROXY_HTTPLOG = /(?:^|\s)(\[?[0-9a-fA-F:.]+\]?):(\d+) \[([^\]]+)\] (\S+) (\S+)\/(\S+) (-?\d+)\/(-?\d+)\/(-?\d+)\/(-?\d+)\/\+?(-?\d+) (\d{3}) \+?\d+ .*?"([^"]*)"\s*$/;

export function parseHaproxyLine(line: string): LogRecord {
  const m = HAPROXY_HTTPLOG.exec(line);
  if (m === null) throw new LogLineError("expected HAProxy's httplog format: client:port [accept date] frontend backend/server TR/Tw/Tc/Tr/Ta status bytes ... \"request\"");
  // Tr: from the request sent to the server to the full response headers received; -1 when none came. Tw (queue)
  // and Tc (connect) are what HAProxy added, and they are separate fields, so Tr is the server's time alone.
  const tr = Number(m[10]);
  return {
    arrivalUs: parseLogDateUs(m[3]!), ...requestLine(m[13]!), client: m[1]!.replace(/^\[|\]$/g, ""),
    demandUs: tr >= 0 ? tr * 1000 : Number.NaN, status: Number(m[12]), reusedConnection: null,
  };
}

/** RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes, not line breaks). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = "";
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i += 2; } else if (line[i] === '"') { i++; break; } else value += line[i++];
      }
      fields.push(value);
      if (line[i] === ",") i++;
      else if (i < line.length) throw new LogLineError("expected a comma after a quoted field");
      else break;
    } else {
      const comma = line.indexOf(",", i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end));
      if (comma < 0) break;
      i = comma + 1;
      if (i === line.length) { fields.push(""); break; }
    }
  }
  return fields;
}

export const CSV_REQUIRED = ["timestamp", "method", "path", "client", "duration_ms"] as const;

/** A CSV parser bound to its header line. */
export function csvLineParser(header: string): (line: string) => LogRecord {
  const names = splitCsvLine(header).map((n) => n.trim().toLowerCase());
  const missing = CSV_REQUIRED.filter((n) => !names.includes(n));
  if (missing.length > 0) throw new LogLineError(`the CSV header lacks ${missing.join(", ")} (expected columns ${CSV_REQUIRED.join(", ")}, and optionally status, connection_requests)`);
  const at = (name: string): number => names.indexOf(name);
  const [t, method, path, client, duration, status, cr] = ["timestamp", "method", "path", "client", "duration_ms", "status", "connection_requests"].map(at) as [number, number, number, number, number, number, number];
  return (line) => {
    const f = splitCsvLine(line);
    if (f.length < names.length) throw new LogLineError(`expected ${names.length} fields, got ${f.length}`);
    const seconds = Number(f[t]);
    const arrivalUs = Number.isFinite(seconds) && f[t]!.trim() !== "" ? Math.round(seconds * 1e6) : Date.parse(f[t]!) * 1000;
    if (!Number.isFinite(arrivalUs)) throw new LogLineError(`expected timestamp as Unix seconds or ISO 8601, got "${f[t]}"`);
    const ms = f[duration]!.trim() === "" ? Number.NaN : Number(f[duration]);
    if (f[duration]!.trim() !== "" && !(ms >= 0)) throw new LogLineError(`expected duration_ms as a number >= 0, got "${f[duration]}"`);
    const m = f[method]!.trim().toUpperCase();
    if (!/^[A-Z]+$/.test(m)) throw new LogLineError(`expected an HTTP method, got "${f[method]}"`);
    const p = f[path]!.trim();
    if (!p.startsWith("/")) throw new LogLineError(`expected a path starting with /, got "${f[path]}"`);
    const q = p.indexOf("?");
    return {
      arrivalUs, method: m, path: q >= 0 ? p.slice(0, q) : p, client: f[client]!.trim(), demandUs: Number.isFinite(ms) ? Math.round(ms * 1000) : Number.NaN,
      status: status >= 0 ? Number(f[status]) : 200, reusedConnection: cr >= 0 && f[cr]!.trim() !== "" ? Number(f[cr]) > 1 : null,
    };
  };
}

/** How a field a feature needs is added to each format's log: for messages that say what to change. */
export const FIELD_SOURCES: Readonly<Record<LogFormat, Readonly<Record<keyof FieldPresence, string>>>> = {
  nginx: {
    arrivalMs: "msec=$msec and rt=$request_time (ngx_http_log_module) give arrivals to the millisecond",
    demand: "urt=\"$upstream_response_time\" (ngx_http_upstream_module) gives each request's time at the backend",
    connectionReuse: "cr=$connection_requests (ngx_http_core_module) tells requests on reused keepalive connections",
  },
  haproxy: {
    arrivalMs: "option httplog's accept date carries milliseconds",
    demand: "option httplog's Tr timer (the fourth of TR/Tw/Tc/Tr/Ta) is the server's response time",
    connectionReuse: "option httplog does not log keepalive reuse; the default (keepalive on) is kept",
  },
  csv: {
    arrivalMs: "a timestamp column in Unix seconds with a fraction",
    demand: "a duration_ms column",
    connectionReuse: "a connection_requests column",
  },
};
