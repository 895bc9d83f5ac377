// The proxy's configuration file: where to listen, the backends' real addresses, and an `lb` section that is the
// scenario format's own `lb` section (same zod schema, same defaults, same error messages), so a scenario's balancer
// tier can be run for real by pasting it. Errors name the file, line and field, as for scenarios.
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { ScenarioError, type ScenarioIssue } from "../scenario/errors/scenario-error.js";
import { locate, positionOf } from "../scenario/errors/yaml-locate.js";
import { convertIssues } from "../scenario/errors/zod-issues.js";
import { loadScenario } from "../scenario/load.js";
import { lb } from "../scenario/schema/lb.js";
import { positiveDuration } from "../scenario/units/duration.js";

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** "host:port" with a port in 1..65535 (0 is allowed only where `allowAnyPort`: the OS then picks a free port). */
function hostPort(allowAnyPort: boolean) {
  const low = allowAnyPort ? 0 : 1;
  return z.string().transform((text, ctx): HostPort => {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d+)$/.exec(text.trim());
    const port = match ? Number(match[2]) : NaN;
    if (!match || !Number.isInteger(port) || port < low || port > 65535) {
      ctx.addIssue({ code: "custom", message: `expected host:port with a port from ${low} to 65535, got "${text}"` });
      return z.NEVER;
    }
    return { host: match[1]!.replace(/^\[|\]$/g, ""), port };
  });
}

const backendName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, { error: "expected a name of letters, digits, -, _, . and :" });

const backend = z.union([
  hostPort(false),
  z.strictObject({
    address: hostPort(false),
    name: backendName.optional(),
    /** NGINX `weight=` / HAProxy `weight`: 1 by default in both. */
    weight: z.number().int().min(0).max(256).default(1),
    /** NGINX `backup`. */
    backup: z.boolean().default(false),
  }),
]);

export const proxyDocument = z.strictObject({
  /** Loopback by default: exposing a proxy is a decision, not a default. */
  listen: hostPort(true).prefault("127.0.0.1:8080"),
  /** The admin port serving `/lbsim/status`; null turns it off. Separate from traffic, as HAProxy's stats socket. */
  admin: hostPort(true).nullable().prefault("127.0.0.1:8081"),
  backends: z.array(backend).min(1),
  /** The path of HTTP checks (NGINX Plus `health_check uri=` defaults to "/"). */
  healthPath: z.string().regex(/^\//, { error: "expected a path starting with /" }).default("/"),
  /** After SIGTERM, in-flight requests get this long to finish before the proxy exits (lbsim extension). */
  shutdownTimeout: positiveDuration().prefault("30s"),
  /** The scenario format's `lb` section. */
  lb: lb.prefault({}),
});

export type ProxyDocument = z.output<typeof proxyDocument>;

export interface ProxyBackendConfig {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly weight: number;
  readonly backup: boolean;
}

export interface ProxyConfig extends Omit<ProxyDocument, "backends"> {
  readonly backends: readonly ProxyBackendConfig[];
}

/** Values from command-line flags, applied over the file's (or used without a file). */
export interface ProxyFlags {
  readonly listen?: string;
  readonly admin?: string;
  readonly backends?: readonly string[];
  readonly algorithm?: string;
  /** A scenario file whose `lb` section the proxy takes (the scenario is validated first, with its own messages). */
  readonly scenario?: string;
}

/** Loads and validates a proxy file (or only flags when `file` is null). Throws ScenarioError for bad input. */
export function loadProxyConfig(file: string | null, flags: ProxyFlags = {}): ProxyConfig {
  let text = "{}";
  if (file !== null) {
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new ScenarioError([{ file, line: 0, column: 0, path: "", message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, expected: "a readable YAML or JSON file" }]);
    }
  }
  return parseProxyConfig(text, file ?? "(flags)", flags);
}

export function parseProxyConfig(text: string, file: string, flags: ProxyFlags = {}): ProxyConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const pos = positionOf(lines, error.pos[0]);
    throw new ScenarioError([{ file, line: pos.line, column: pos.column, path: "", message: `syntax error: ${error.message.split("\n")[0]}`, expected: "valid YAML" }]);
  }
  const raw = (doc.toJS() ?? {}) as unknown;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ScenarioError([{ file, line: 1, column: 1, path: "", message: "expected a mapping with listen, backends and lb", expected: "a mapping" }]);
  }
  const data = raw as Record<string, unknown>;
  const fromFlags = new Map<string, string>();
  const set = (key: string, value: unknown, flag: string) => {
    data[key] = value;
    fromFlags.set(key, flag);
  };
  if (flags.listen !== undefined) set("listen", flags.listen, "--listen");
  if (flags.admin !== undefined) set("admin", flags.admin === "off" ? null : flags.admin, "--admin");
  if (flags.backends !== undefined) set("backends", flags.backends, "--backends");
  if (flags.scenario !== undefined) set("lb", scenarioLb(flags.scenario), `--scenario ${flags.scenario}`);
  if (flags.algorithm !== undefined) {
    const lbData = (typeof data.lb === "object" && data.lb !== null ? data.lb : (data.lb = {})) as Record<string, unknown>;
    lbData.algorithm = flags.algorithm;
    fromFlags.set("lb.algorithm", "--algorithm");
  }
  const result = proxyDocument.safeParse(data);
  if (!result.success) {
    const issues = convertIssues(result.error.issues, proxyDocument, data).map((issue): ScenarioIssue => {
      const dotted = issue.path.join(".");
      const flag = [...fromFlags].find(([key]) => dotted === key || dotted.startsWith(`${key}.`))?.[1];
      const pos = flag !== undefined ? { line: 0, column: 0 } : locate(doc, lines, issue.path, issue.atKey);
      const placed: ScenarioIssue = { file: flag ?? file, ...pos, path: dotted, message: issue.message, expected: issue.expected };
      if (issue.didYouMean !== undefined) placed.didYouMean = issue.didYouMean;
      return placed;
    });
    throw new ScenarioError(issues);
  }
  return resolve(result.data, file);
}

/** A valid scenario's `lb` section as written (its defaults are the same schema's, applied again here). */
function scenarioLb(file: string): unknown {
  loadScenario(file);
  const lbNode = (parseDocument(readFileSync(file, "utf8")).toJS() as { lb?: unknown }).lb;
  return structuredClone(lbNode ?? {});
}

function resolve(document: ProxyDocument, file: string): ProxyConfig {
  const issues: ScenarioIssue[] = [];
  if (document.lb.mode !== "l7") issues.push({ file, line: 0, column: 0, path: "lb.mode", message: "expected l7: lbsim proxy is an HTTP proxy", expected: "l7" });
  const backends = document.backends.map((b): ProxyBackendConfig => {
    const spec = "address" in b ? b : { address: b, name: undefined, weight: 1, backup: false };
    return { name: spec.name ?? `${spec.address.host}:${spec.address.port}`, host: spec.address.host, port: spec.address.port, weight: spec.weight, backup: spec.backup };
  });
  const seen = new Set<string>();
  for (const b of backends) {
    if (seen.has(b.name)) issues.push({ file, line: 0, column: 0, path: "backends", message: `backend "${b.name}" is listed twice`, expected: "distinct backend names" });
    seen.add(b.name);
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return { ...document, backends };
}
