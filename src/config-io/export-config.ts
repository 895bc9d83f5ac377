// `exportConfig(scenario, target, options)`: one scenario's balancer tier as a proxy's configuration text, with
// what that proxy cannot express. The conformance lab calls this to drive a real HAProxy or NGINX: `listen` and
// `backendAddress` point the proxy at its loopback backends.
import type { ScenarioConfig } from "../scenario/schema/scenario.js";
import { exportEnvoy } from "./export-envoy.js";
import { exportHaproxy } from "./export-haproxy.js";
import { exportNginx } from "./export-nginx.js";
import type { ExportOptions, ExportResult, ProxyTarget } from "./types.js";

/** A target this version cannot write yet (a user-facing error, exit 2). */
export class UnsupportedTarget extends Error {
  override readonly name = "UnsupportedTarget";
}

export function exportConfig(config: ScenarioConfig, target: ProxyTarget, options: ExportOptions = {}): ExportResult {
  switch (target) {
    case "haproxy":
      return exportHaproxy(config, options);
    case "nginx":
      return exportNginx(config, options);
    case "envoy":
      return exportEnvoy(config, options);
  }
}
