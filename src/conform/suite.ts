// The conformance suite (issue 17): each case a scenario in conformance/, the proxy it runs on, the
// configuration that proxy gets and the metrics held against lbsim's prediction. Each case runs in about 20 s
// of wall time at 100 requests/s, small enough for a busy 2-core machine.
import type { ConformCase } from "./conform-case.js";

export const SUITE: readonly ConformCase[] = [
  {
    name: "haproxy-black-hole-tcp",
    proxy: "haproxy",
    scenario: "conformance/black-hole.yaml",
    variant: "tcp",
    config: "conformance/black-hole-tcp.haproxy.cfg",
    about: "TCP checks keep a hung, a warming and a stopped backend in rotation: about 3/5 of requests vanish into 504s while all stay UP.",
    metrics: [{ kind: "lost" }, { kind: "latency", quantile: 50 }, { kind: "latency", quantile: 99 }, { kind: "detection", backend: "app-1", fromMs: 2_000 }, { kind: "detection", backend: "warming", fromMs: 0 }],
  },
  {
    name: "haproxy-black-hole-http",
    proxy: "haproxy",
    scenario: "conformance/black-hole.yaml",
    variant: "http",
    config: "conformance/black-hole-http.haproxy.cfg",
    about: "HTTP checks (option httpchk) take the hung, warming and stopped backends out within fall x (inter + timeout check).",
    metrics: [
      { kind: "lost" }, { kind: "latency", quantile: 50 }, { kind: "latency", quantile: 99 },
      { kind: "detection", backend: "app-1", fromMs: 2_000 }, { kind: "detection", backend: "warming", fromMs: 0 }, { kind: "detection", backend: "gc", fromMs: 4_000 },
    ],
  },
];

/** The case named `name`, or null. */
export function findCase(name: string): ConformCase | null {
  return SUITE.find((c) => c.name === name) ?? null;
}
