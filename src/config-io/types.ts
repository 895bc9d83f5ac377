// The shapes config import and export share: which proxies, what could not be carried across, and where a
// value came from. Export turns a validated scenario's balancer tier into one proxy's configuration text; import
// reads such a text back into scenario fields, each with the directive and line it came from.
import type { BackendSpec } from "../scenario/schema/backends.js";

export const PROXY_TARGETS = ["haproxy", "nginx", "envoy"] as const;
export type ProxyTarget = (typeof PROXY_TARGETS)[number];

/** One thing the other side cannot say: the scenario field (export) or the directive (import), and why. */
export interface NotCarried {
  /** Export: a dotted scenario path such as `lb.retries.budget`. Import: the directive as written. */
  what: string;
  /** Import: the 1-based source line; export: 0. */
  line: number;
  why: string;
}

export interface ExportOptions {
  /** Where the proxy listens, `host:port`. Default `127.0.0.1:8000`. */
  listen?: string;
  /** The `host:port` each backend is reached at; default the scenario's own address (10.0.g.n:8080). */
  backendAddress?: (backend: BackendSpec, index: number) => string;
}

export interface ExportResult {
  /** The configuration file's text. */
  text: string;
  /** What the scenario says that this proxy cannot (also listed in the text's header). */
  notExpressible: NotCarried[];
}
