// A fitted workload as a scenario's `clients` section, every fitted number with a comment saying what it came from
// and how well it fits, so a reader can judge it before trusting a comparison run on it.
import { type DistributionFit } from "./fit-distribution.js";
import { type FittedArrivals, type LogFit, TICK_US } from "./fit-log.js";
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
  const sources = FIELD_SOURCES[fit.format];
  lines.push(`# Fitted by lbsim ${version} fit from ${fit.format} log ${fit.file}.`);
  lines.push(`# ${int(fit.requests)} requests over ${g4(seconds)} s (${int(fit.counts.lines)} lines, ${int(fit.counts.bad)} unparseable); mean ${g4(fit.requests / seconds)}/s.`);
  lines.push(`# ${int(fit.clients)} client addresses in ${int(fit.networks)} /24s; addresses are pseudonyms that keep the /24 grouping.`);
  lines.push(`# ${pct(fit.errors5xx / fit.requests)} of requests got a 5xx. Timeouts and retries are not in a log: set them yourself.`);
  lines.push("clients:");
  const classNames = uniqueNames(fit.classes.map((c) => c.name));
  const known = fit.reused + fit.fresh;
  const keepalive = known === 0
    ? `    keepalive: true                  # not in this log (${sources.connectionReuse})`
    : `    keepalive: ${fit.reused / known >= 0.5}                  # ${pct(fit.reused / known)} of requests reused a keepalive connection`;

  for (const [g, group] of fit.groups.entries()) {
    const share = group.arrivals.requests / fit.requests;
    if (group.name === "fitted") {
      lines.push("  - name: fitted");
      lines.push(`    count: ${group.clients}                      # distinct client addresses${fit.groups.length > 1 ? " outside the /24s that have groups of their own" : ""}`);
    } else {
      lines.push(`  - name: ${group.name}                # one /24 sends ${pct(share)} of requests (a NAT, an office, a partner): ${group.clients} address${group.clients === 1 ? "" : "es"}`);
      lines.push(`    count: ${Math.min(254, group.clients)}`);
      lines.push(`    addressPrefix: "10.${200 + (g % 55)}"            # its clients share one /24, as in the log`);
    }
    lines.push(...arrivalLines(fit, group.arrivals, share === 1 && fit.groups.length === 1));
    lines.push("    classes:");
    fit.classes.forEach((c, k) => {
      const count = group.classCounts[k]!;
      if (count === 0) return;
      lines.push(`      - name: ${classNames[k]}                # ${int(count)} of this group's requests (${pct(count / group.arrivals.requests)}): ${c.method} ${c.pattern}`);
      lines.push(`        weight: ${count}`);
      lines.push(`        method: ${c.method}`);
      lines.push(`        path: "${c.pattern}"`);
      if (c.fit === null) {
        lines.push(`        demand: { constant: 1ms }          # PLACEHOLDER: the log has no time at the backend for this class (${sources.demand})`);
      } else {
        const missing = c.missingDemand > 0 ? `; ${int(c.missingDemand)} lines had no backend time` : "";
        lines.push(`        demand: ${distributionText(c.fit)}   # fitted to all ${int(c.count)} requests of the class: ${fitComment(c.fit)}${missing}`);
      }
    });
    lines.push(keepalive);
  }
  return `${lines.join("\n")}\n`;
}

function arrivalLines(fit: LogFit, a: FittedArrivals, wholeLog: boolean): string[] {
  const seconds = fit.durationUs / 1e6;
  const [low, high] = a.dispersionBand;
  const [flatLow, flatHigh] = a.binDispersionBand;
  const mean = a.requests / seconds;
  const poisson = a.dispersion <= high && a.dispersion >= low;
  const flat = a.binDispersion >= flatLow && a.binDispersion <= flatHigh;
  const disp = `dispersion ${g4(a.dispersion)} of counts per ${TICK_US / 1000} ms (Poisson: ${g4(low)} to ${g4(high)})`;
  const rateNote = `${g4(a.binDispersion)} across ${a.binRates.length} bins of ${g4(fit.binUs / 1e6)} s (constant rate: ${g4(flatLow)} to ${g4(flatHigh)})`;
  const head = ["    load:", "      open:"];
  if (poisson && flat) {
    return [...head, `        poisson: ${rateText(mean)}            # ${int(a.requests)} requests / ${g4(seconds)} s; ${disp}; ${rateNote}`];
  }
  if (!poisson && flat && wholeLog && fit.interarrival !== null) {
    return [
      ...head,
      `        renewal:                     # ${disp}: burstier than Poisson at a steady rate, so gaps are drawn from the log's own`,
      `          interarrival: ${distributionText(fit.interarrival)}   # ${fitComment(fit.interarrival)}`,
    ];
  }
  const note = poisson ? "Poisson within each bin" : "BURSTIER THAN POISSON: a fitted rate loses the bursts; `replay:` the log to keep them";
  const out = [...head, `        timeline:                    # requests/s per ${g4(fit.binUs / 1e6)} s bin; ${disp}: ${note}; ${rateNote}`];
  a.binRates.forEach((rate, i) => out.push(`          - { at: ${durationText(i * fit.binUs)}, rate: ${rateText(rate)} }`));
  return out;
}
