// Public API of `lbsim proxy`: start a real HTTP load balancer on the production balancer, health checker and retry
// rules, from a proxy file or from values in code.
export { loadProxyConfig, parseProxyConfig, proxyDocument, type HostPort, type ProxyBackendConfig, type ProxyConfig, type ProxyFlags } from "./proxy-config.js";
export { startProxy, ProxyStartError, type RunningProxy } from "./proxy-server.js";
export { proxyStatus, type BackendStatus, type ProxyStatus } from "./proxy-status.js";
export { endToEndHeaders } from "./hop-by-hop.js";
export { realProbePort, type ProbeTarget } from "./real-probes.js";
export { RealTimers, hrtimeClock, cryptoRandomSource } from "./real-time.js";
export { SESSION_COOKIE, MAX_BODY_BYTES, type BackendCounters, type ProxyCounters } from "./forward.js";
