// The real proxy's configuration for a run: `lbsim export` (src/config-io, issue 16) writes the balancer tier
// pointed at the run's loopback backends, and the lab adds only what it needs to watch the proxy: HAProxy's log
// on stdout in the lab's line format and its admin socket; NGINX in the foreground as one process with its access
// log in the run's directory, its error log on stderr and its temporary files in the run's directory. Nothing that changes how
// the proxy balances, checks or retries is added here.
import { exportConfig } from "../config-io/export-config.js";
import type { NotCarried } from "../config-io/types.js";
import type { ScenarioConfig } from "../scenario/schema/scenario.js";
import { HAPROXY_LOG_FORMAT, NGINX_LOG_FORMAT } from "./proxy-log.js";

export interface LabConfig {
  text: string;
  /** What the proxy cannot express of the scenario (from the export). */
  notExpressible: NotCarried[];
  /** HAProxy's backend section name, for runtime commands (`set server <backend>/<server> state drain`). */
  backendSection: string;
}

export interface LabConfigOptions {
  listen: string;
  /** 127.0.0.1:port of each backend, by name. */
  servers: ReadonlyMap<string, string>;
  /** HAProxy's admin socket path. */
  adminSocket: string;
  /** The run's scratch directory (NGINX pid and temp files). */
  dir: string;
  /**
   * Backends a timeline `add` brings in mid-run (HAProxy only): listed after the scenario's own, `disabled` (in
   * maintenance, so neither picked nor checked) until the lab sets them ready; HAProxy numbers them (puid) after the
   * others, as World.addBackend appends them.
   */
  added?: readonly string[];
}

export function labConfig(config: ScenarioConfig, proxy: "haproxy" | "nginx", options: LabConfigOptions): LabConfig {
  const added = new Set(options.added ?? []);
  if (added.size > 0) {
    if (proxy !== "haproxy") throw new RangeError("timeline add is enacted on HAProxy only");
    const specs = config.timeline.flatMap((step) => (step.action === "add" ? step.params.backends : []));
    config = { ...config, backends: [...config.backends, ...specs] };
  }
  const exported = exportConfig(config, proxy, {
    listen: options.listen,
    backendAddress: (backend) => {
      const address = options.servers.get(backend.name);
      if (address === undefined) throw new RangeError(`no loopback backend started for ${backend.name}`);
      return address;
    },
  });
  let text = exported.text;
  for (const name of added) {
    const line = new RegExp(`^(\\s*server ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\S+.*?)(\\s*#.*)?$`, "m");
    if (!line.test(text)) throw new Error(`the exported configuration has no server line for ${name}`);
    text = text.replace(line, (_, server: string, comment: string | undefined) => `${server} disabled  # lab: added by the timeline${comment ? ` ${comment.trim()}` : ""}`);
  }
  return proxy === "haproxy" ? forHaproxy(text, exported.notExpressible, options) : forNginx(text, exported.notExpressible, options);
}

function insertAfter(text: string, line: RegExp, insert: string, what: string): string {
  const m = line.exec(text);
  if (m === null) throw new Error(`the exported configuration has no ${what} to add the lab's lines to`);
  const at = m.index + m[0].length;
  return `${text.slice(0, at)}${insert}${text.slice(at)}`;
}

/**
 * HAProxy sizes its file descriptors from the global `maxconn` (about 2 per connection) and refuses to start when
 * that exceeds the process's limit ("Cannot raise FD limit"); 20000 fails under the common 20000-descriptor
 * limit. The lab's runs hold a few hundred connections, so the global limit becomes 4096; per-server `maxconn`,
 * which is what balancing and queueing read, is untouched.
 */
export const LAB_GLOBAL_MAXCONN = 4096;

function forHaproxy(text: string, notExpressible: NotCarried[], o: LabConfigOptions): LabConfig {
  const globalEnd = text.search(/^(defaults|frontend|backend|listen)\b/m);
  const globalPart = globalEnd < 0 ? text : text.slice(0, globalEnd);
  text = globalPart.replace(/^(\s*)maxconn \d+.*$/m, `$1maxconn ${LAB_GLOBAL_MAXCONN}  # lab: fits the default FD limit (per-server maxconn unchanged)`) + (globalEnd < 0 ? "" : text.slice(globalEnd));
  let out = insertAfter(text, /^global\n/m, `    log stdout format raw local0  # lab: the log on stdout\n    stats socket ${o.adminSocket} mode 600 level admin  # lab: runtime API (drain)\n`, "global section");
  out = insertAfter(out, /^defaults\n/m, `    log global  # lab\n    log-format "${HAPROXY_LOG_FORMAT}"  # lab: URI (request id), server, status, termination state\n`, "defaults section");
  const backend = /^backend (\S+)/m.exec(out)?.[1];
  if (backend === undefined) throw new Error("the exported HAProxy configuration has no backend section");
  return { text: out, notExpressible, backendSection: backend };
}

function forNginx(text: string, notExpressible: NotCarried[], o: LabConfigOptions): LabConfig {
  const head = [
    "daemon off;  # lab: in the foreground, killed by its PID",
    "master_process off;  # lab: one process, so one PID and one passive-health view",
    `pid ${o.dir}/nginx.pid;`,
    "error_log stderr warn;  # lab: 'upstream server temporarily disabled' arrives here",
    "",
  ].join("\n");
  const http = [
    `    log_format lbsim '${NGINX_LOG_FORMAT}';  # lab`,
    // A file, read after the run: /dev/stdout cannot be opened when stdout is a socket, as Node's pipes are.
    `    access_log ${o.dir}/access.log lbsim;  # lab`,
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `    ${t}_temp_path ${o.dir}/${t};  # lab`),
    "",
  ].join("\n");
  const out = insertAfter(`${head}${text}`, /^http \{\n/m, http, "http block");
  return { text: out, notExpressible, backendSection: "" };
}
