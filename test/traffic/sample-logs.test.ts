// Proves the sample logs committed under test/traffic/fixtures and scenarios/traffic are what the seeded generator
// writes (so where they came from, and what distributions they hold, is known), and that each parses whole.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readLogSync } from "../../src/traffic/log-reader.js";
import { generateRequests, type GeneratorSpec, haproxyLine, nginxLine } from "./generate-log.js";

const ROOT = resolve(__dirname, "..", "..");

const SMALL: GeneratorSpec = {
  seed: "sample", ratePerSecond: 10, durationS: 20, startS: 1_796_032_800, reuse: 0.7,
  classes: [
    { method: "GET", path: "/products/{id}", weight: 4, demandUs: { kind: "lognormal", mu: Math.log(12_000), sigma: 0.5 } },
    { method: "POST", path: "/cart", weight: 1, demandUs: { kind: "gamma", shape: 3, scale: 10_000 } },
  ],
  networks: [{ prefix: "192.0.2", share: 0.3, hosts: 2 }, { prefix: "198.51.100", share: 0.7, hosts: 60 }],
};

/**
 * The lesson's shop: steady users (about 20/s of cheap product pages and searches from many /24s) and a partner's
 * batch sync behind one NAT (one /24, two hosts) that fires 50 heavy requests within a second every 15 s.
 */
export const SHOP: GeneratorSpec = {
  seed: "shop", ratePerSecond: 20, durationS: 45, startS: 1_796_032_800, reuse: 0.8,
  classes: [
    { method: "GET", path: "/products/{id}", weight: 7, demandUs: { kind: "lognormal", mu: Math.log(8_000), sigma: 0.5 } },
    { method: "GET", path: "/search", weight: 3, demandUs: { kind: "lognormal", mu: Math.log(30_000), sigma: 0.6 } },
  ],
  networks: Array.from({ length: 40 }, (_, i) => ({ prefix: `198.18.${i}`, share: 1 / 40, hosts: 30 })),
  bursts: { firstS: 5, everyS: 15, size: 50, withinMs: 800, network: { prefix: "203.0.113", hosts: 2 }, klass: { method: "POST", path: "/partner/sync", weight: 0, demandUs: { kind: "lognormal", mu: Math.log(150_000), sigma: 0.3 } } },
};

const FILES: Array<[string, string, "nginx" | "haproxy"]> = [
  ["test/traffic/fixtures/sample-nginx.log", generateRequests(SMALL).map(nginxLine).join("\n") + "\n", "nginx"],
  ["test/traffic/fixtures/sample-haproxy.log", generateRequests(SMALL).map(haproxyLine).join("\n") + "\n", "haproxy"],
  ["scenarios/traffic/shop-access.log", generateRequests(SHOP).map(nginxLine).join("\n") + "\n", "nginx"],
];

describe("sample logs", () => {
  for (const [path, text, format] of FILES) {
    it(`${path} is the generator's output and parses whole`, () => {
      // To regenerate after changing the generator: write `text` to `path` (see this test's FILES).
      if (process.env.LBSIM_WRITE_SAMPLES === "1") writeFileSync(join(ROOT, path), text);
      expect(readFileSync(join(ROOT, path), "utf8")).toBe(text);
      const { counts } = readLogSync(join(ROOT, path), format);
      expect(counts.bad).toBe(0);
      expect(counts.good).toBe(text.trim().split("\n").length);
    });
  }
});
