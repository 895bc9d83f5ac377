// A fitted workload as a scenario's `clients` section, every fitted number with a comment saying what it came from
// and how well it fits, so a reader can judge it before trusting a comparison run on it.
import { type DistributionFit } from "./fit-distribution.js";
import { HEAVY_NETWORK_SHARE, type LogFit } from "./fit-log.js";
import { FIELD_SOURCES } from "./log-formats.js";

const int = (n: number): string => Math.round(n).toLocaleString("en-US");
const pct = (f: number): string => `${(f * 100).toFixed(1)}%`;
const g4 = (n: number): string => Number(n.toPrecision(4)).toString();

/** A duration the schema reads back to the same microsecond (to 1 us below 1 ms, to 1 us in ms above). */
export function durationText(us: number): string {
  const whole = Math.max(0, Math.round(us));
  if (whole % 60_000_000 === 0 && whole > 0) return `${whole / 60_000_000}m`;
  if (whole % 1_000_000 === 0 && whole > 0) return `${whole / 1_000_000}s`;
  if (whole < 1000) return `${whole}us`;
  return `${(whole / 1000).toFixed(3).replace(/\.?0+$/, "")}ms`;
}

export function rateText(perSecond: number): string {
  return `${Number(perSecond.toFixed(3))}/s`;
}

export function distributionText(fit: DistributionFit): string {
  switch (fit.family) {
    case "lognormal":
      return `{ lognormal: { median: ${durationText(Math.exp(fit.params.mu!))}, sigma: ${g4(fit.params.sigma!)} } }`;
    case "gamma":
    case "weibull":
      return `{ ${fit.family}: { shape: ${g4(fit.params.shape!)}, scale: ${durationText(fit.params.scale!)} } }`;
    case "empirical":
      return `{ empirical: { samples: [${fit.quantiles.map(durationText).join(", ")}] } }`;
  }
}

/** The goodness-of-fit comment: the chosen fit's KS statistic against the 1% critical value, and the others'. */
export function fitComment(fit: DistributionFit): string {
  const others = fit.candidates.filter((c) => c.family !== fit.family).map((c) => `${c.family} ${g4(c.ksD)}`).join(", ");
  const test = `KS D vs 1% critical ${g4(fit.ksCritical)} (n = ${int(fit.n)})`;
  if (fit.family === "empirical") {
    return `${fit.quantiles.length} quantiles of ${int(fit.n)} samples (mean ${durationText(fit.mean)}): every parametric fit was rejected, ${test}: ${fit.candidates.map((c) => `${c.family} ${g4(c.ksD)}`).join(", ")}`;
  }
  return `${fit.family} ${g4(fit.ksD)} passes the ${test}; ${others}; mean ${durationText(fit.mean)}`;
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
}

export function fitToYaml(fit: LogFit, version: string): string {
  const lines: string[] = [];
  const seconds = fit.durationUs / 1e6;
  const heavy = fit.networks.filter((n) => n.requests / fit.requests >= HEAVY_NETWORK_SHARE).sort((a, b) => b.requests - a.requests);
  const heavyShare = heavy.reduce((s, n) => s + n.requests, 0) / fit.requests;
  const sources = FIELD_SOURCES[fit.format];
  lines.push(`# Fitted by lbsim ${version} fit from ${fit.format} log ${fit.file}.`);
  lines.push(`# ${int(fit.requests)} requests over ${g4(seconds)} s (${int(fit.counts.lines)} lines, ${int(fit.counts.bad)} unparseable); mean ${g4(fit.requests / seconds)}/s.`);
  lines.push(`# ${int(fit.clients)} client addresses in ${int(fit.networks.length)} /24s; addresses are pseudonyms that keep the /24 grouping.`);
  lines.push(`# ${pct(fit.errors5xx / fit.requests)} of requests got a 5xx. Timeouts and retries are not in a log: set them yourself.`);
  lines.push("clients:");

  const arrivals = (share: number, indent: string): string[] => {
    const [low, high] = fit.dispersionBand;
    const mean = fit.requests / seconds;
    const steady = Math.max(...fit.binRates) <= 1.5 * mean && Math.min(...fit.binRates) >= mean / 1.5;
    const poisson = fit.dispersion <= high && fit.dispersion >= low;
    const disp = `dispersion index ${g4(fit.dispersion)} of per-second counts (Poisson: ${g4(low)} to ${g4(high)})`;
    if (!poisson && steady && fit.interarrival !== null && share === 1) {
      return [
        `${indent}load:`,
        `${indent}  open:`,
        `${indent}    renewal:                     # ${disp}: burstier than Poisson at a steady rate, so gaps are drawn from the log's own`,
        `${indent}      interarrival: ${distributionText(fit.interarrival)}   # ${fitComment(fit.interarrival)}`,
      ];
    }
    const [flatLow, flatHigh] = fit.binDispersionBand;
    const flat = fit.binDispersion >= flatLow && fit.binDispersion <= flatHigh;
    if (poisson && flat) {
      return [
        `${indent}load:`,
        `${indent}  open:`,
        `${indent}    poisson: ${rateText(mean * share)}            # ${int(fit.requests)} requests / ${g4(seconds)} s${share === 1 ? "" : `, x ${g4(share)} for this group`}; ${disp}, and ${g4(fit.binDispersion)} across ${fit.binRates.length} bins of ${g4(fit.binUs / 1e6)} s (a constant rate: ${g4(flatLow)} to ${g4(flatHigh)})`,
      ];
    }
    const note = poisson ? `${disp}: Poisson within each bin` : `${disp}: ${steady ? "bursty" : "the rate moves"}; \`replay:\` the log to keep its exact arrivals`;
    const out = [`${indent}load:`, `${indent}  open:`, `${indent}    timeline:                    # requests/s in ${g4(fit.binUs / 1e6)} s bins of the log, x ${g4(share)} for this group; ${note}`];
    fit.binRates.forEach((rate, i) => out.push(`${indent}      - { at: ${durationText(i * fit.binUs)}, rate: ${rateText(rate * share)} }`));
    return out;
  };

  const classNames = uniqueNames(fit.classes.map((c) => c.name));
  const classLines = (anchor: boolean): string[] => {
    if (!anchor) return ["    classes: *classes"];
    const out = ["    classes: &classes"];
    fit.classes.forEach((c, i) => {
      out.push(`      - name: ${classNames[i]}                # ${int(c.count)} requests (${pct(c.count / fit.requests)}): ${c.method} ${c.pattern}`);
      out.push(`        weight: ${c.count}`);
      out.push(`        method: ${c.method}`);
      out.push(`        path: "${c.pattern}"`);
      if (c.fit === null) {
        out.push(`        demand: { constant: 1ms }          # PLACEHOLDER: the log has no time at the backend for this class (${sources.demand})`);
      } else {
        const missing = c.missingDemand > 0 ? `; ${int(c.missingDemand)} lines had no backend time` : "";
        out.push(`        demand: ${distributionText(c.fit)}   # ${fitComment(c.fit)}${missing}`);
      }
    });
    return out;
  };

  const keepalive = (): string => {
    const known = fit.reused + fit.fresh;
    if (known === 0) return `    keepalive: true                  # not in this log (${sources.connectionReuse})`;
    const share = fit.reused / known;
    return `    keepalive: ${share >= 0.5}                  # ${pct(share)} of requests reused a keepalive connection`;
  };

  const restShare = 1 - heavyShare;
  if (restShare > 0) {
    const hosts = fit.clients - heavy.reduce((s, n) => s + n.hosts, 0);
    lines.push("  - name: fitted");
    lines.push(`    count: ${Math.max(1, hosts)}                      # distinct client addresses outside the /24s that have groups of their own`);
    lines.push(...arrivals(restShare, "    "), ...classLines(true), keepalive());
  }
  heavy.forEach((n, i) => {
    lines.push(`  - name: network-${i + 1}                # one /24 sends ${pct(n.requests / fit.requests)} of requests (a NAT or an office): ${n.hosts} address${n.hosts === 1 ? "" : "es"}`);
    lines.push(`    count: ${Math.min(254, n.hosts)}`);
    lines.push(`    addressPrefix: "10.${200 + (i % 55)}"            # its clients share one /24, as in the log`);
    lines.push(...arrivals(n.requests / fit.requests, "    "), ...classLines(restShare <= 0 && i === 0), keepalive());
  });
  return `${lines.join("\n")}\n`;
}
