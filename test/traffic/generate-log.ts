// A seeded generator of access logs from known distributions, in NGINX (lbsim's log_format) and HAProxy httplog
// formats: what the fitting tests fit back, and where the sample logs under test/ and scenarios/ came from.
import { createDistribution, type DistributionSpec } from "../../src/engine/distributions/create.js";
import { Rng } from "../../src/engine/rng.js";

export interface GeneratedClass {
  method: string;
  /** A template: `{id}` becomes a number, so fitting must find the pattern. */
  path: string;
  weight: number;
  demandUs: DistributionSpec;
}

export interface GeneratorSpec {
  seed: string;
  /** Poisson arrivals at this rate for this long. */
  ratePerSecond: number;
  durationS: number;
  classes: GeneratedClass[];
  /** Client /24s with the share of requests each sends and how many hosts it has. */
  networks: Array<{ prefix: string; share: number; hosts: number }>;
  /** Share of requests on a reused keepalive connection. */
  reuse: number;
  /** Unix seconds of the first arrival. */
  startS: number;
  /** A batch client: every `everyS` seconds (from `firstS`), `size` requests of one class within `withinMs`, from one /24. */
  bursts?: { firstS: number; everyS: number; size: number; withinMs: number; network: { prefix: string; hosts: number }; klass: GeneratedClass };
}

export interface GeneratedRequest {
  arrivalUs: number;
  method: string;
  path: string;
  client: string;
  demandUs: number;
  classIndex: number;
  reused: boolean;
}

export function generateRequests(spec: GeneratorSpec): GeneratedRequest[] {
  const rng = Rng.root(spec.seed);
  const arrivals = rng.fork("arrivals");
  const pick = rng.fork("class");
  const demand = rng.fork("demand");
  const who = rng.fork("who");
  const demands = spec.classes.map((c) => createDistribution(c.demandUs));
  const totalWeight = spec.classes.reduce((s, c) => s + c.weight, 0);
  const out: GeneratedRequest[] = [];
  let t = 0;
  for (;;) {
    t += (-Math.log(1 - arrivals.next()) / spec.ratePerSecond) * 1e6;
    if (t >= spec.durationS * 1e6) break;
    let u = pick.next() * totalWeight;
    let k = 0;
    while (k < spec.classes.length - 1 && u >= spec.classes[k]!.weight) u -= spec.classes[k++]!.weight;
    const klass = spec.classes[k]!;
    let v = who.next();
    let n = 0;
    while (n < spec.networks.length - 1 && v >= spec.networks[n]!.share) v -= spec.networks[n++]!.share;
    const network = spec.networks[n]!;
    out.push({
      arrivalUs: Math.round(spec.startS * 1e6 + t), method: klass.method, path: klass.path.replace("{id}", String(1 + who.int(100_000))),
      client: `${network.prefix}.${1 + who.int(network.hosts)}`, demandUs: Math.max(1000, Math.round(demands[k]!.sample(demand) / 1000) * 1000), classIndex: k, reused: who.next() < spec.reuse,
    });
  }
  const burst = spec.bursts;
  if (burst !== undefined) {
    const b = rng.fork("bursts");
    const k = spec.classes.length;
    const d = createDistribution(burst.klass.demandUs);
    for (let at = burst.firstS; at < spec.durationS; at += burst.everyS) {
      for (let i = 0; i < burst.size; i++) {
        out.push({
          arrivalUs: Math.round(spec.startS * 1e6 + at * 1e6 + b.next() * burst.withinMs * 1000), method: burst.klass.method,
          path: burst.klass.path.replace("{id}", String(1 + b.int(100_000))), client: `${burst.network.prefix}.${1 + b.int(burst.network.hosts)}`,
          demandUs: Math.max(1000, Math.round(d.sample(b) / 1000) * 1000), classIndex: k, reused: true,
        });
      }
    }
    out.sort((x, y) => x.arrivalUs - y.arrivalUs);
  }
  return out;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

function logDate(us: number, millis: boolean): string {
  const d = new Date(Math.floor(us / 1000));
  const base = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return millis ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : `${base} +0000`;
}

/** NGINX with lbsim's log_format; the line is written at the end (arrival + 1 ms connect + demand). */
export function nginxLine(r: GeneratedRequest): string {
  const connectS = 0.001;
  const upstreamS = connectS + r.demandUs / 1e6;
  const requestS = upstreamS + 0.0005;
  const endUs = r.arrivalUs + Math.round(requestS * 1e6);
  return `${r.client} - - [${logDate(endUs, false)}] "${r.method} ${r.path}?q=1 HTTP/1.1" 200 512 "-" "test/1.0" rt=${requestS.toFixed(3)} urt="${upstreamS.toFixed(3)}" uct="${connectS.toFixed(3)}" msec=${(endUs / 1e6).toFixed(3)} cr=${r.reused ? 2 : 1}`;
}

/** HAProxy httplog with the syslog prefix; Tr is the demand in ms. */
export function haproxyLine(r: GeneratedRequest): string {
  const tr = Math.round(r.demandUs / 1000);
  return `Nov 30 10:00:00 lb1 haproxy[1234]: ${r.client}:${40000 + (r.arrivalUs % 20000)} [${logDate(r.arrivalUs, true)}] web~ app/app-1 0/0/1/${tr}/${tr + 1} 200 512 - - ---- 10/10/1/1/0 0/0 "${r.method} ${r.path} HTTP/1.1"`;
}
