// Dynamic weights: the founding article's `updateWeight` under GC pressure, automated. Each node keeps a
// time-decayed EWMA of every backend's response time (failures count as a long one), and every `interval` it
// sets each backend's weight to its configured weight x min(1, median latency / its latency), never below
// `minWeight`: a weight-5 server stalling in GC drops towards weight 1, and climbs back as its latency recovers.
import type { LoadBalancer } from "../../balancers/balancer.js";
import type { LbDynamicWeightsConfig } from "./lb-config.js";

export class DynamicWeights {
  private readonly ewmaUs: number[] = [];
  private readonly stampUs: number[] = [];
  private readonly configured: number[] = [];
  private readonly applied: number[] = [];
  private readonly ids: string[] = [];
  private readonly decayUs: number;
  /** Weight changes made, for reports and tests. */
  updates = 0;

  constructor(readonly config: LbDynamicWeightsConfig, private readonly balancer: LoadBalancer) {
    this.decayUs = config.halfLifeUs / Math.LN2;
  }

  addBackend(index: number, id: string, weight: number): void {
    this.ids[index] = id;
    this.configured[index] = weight;
    this.applied[index] = weight;
    this.ewmaUs[index] = Number.NaN;
    this.stampUs[index] = 0;
  }

  /** A try ended: fold its latency (or the failure penalty) into the backend's EWMA. */
  observe(index: number, latencyUs: number, success: boolean, nowUs: number): void {
    const sample = success ? latencyUs : Math.max(latencyUs, this.config.failurePenaltyUs);
    const previous = this.ewmaUs[index]!;
    if (Number.isNaN(previous)) {
      this.ewmaUs[index] = sample;
    } else {
      const weight = 1 - Math.exp(-(nowUs - this.stampUs[index]!) / this.decayUs);
      this.ewmaUs[index] = previous + (sample - previous) * Math.max(weight, 0.01);
    }
    this.stampUs[index] = nowUs;
  }

  /** Recomputes every backend's weight from the latencies seen so far. */
  tick(): void {
    const known = this.ewmaUs.filter((v, i) => !Number.isNaN(v) && this.balancer.backend(this.ids[i]!)?.member);
    if (known.length < 2) return;
    const sorted = [...known].sort((a, b) => a - b);
    const median = sorted[(sorted.length - 1) >> 1]!;
    for (let i = 0; i < this.ids.length; i++) {
      const latency = this.ewmaUs[i];
      const id = this.ids[i];
      if (id === undefined || latency === undefined || Number.isNaN(latency) || !this.balancer.backend(id)?.member) continue;
      const factor = Math.min(1, median / latency);
      const weight = Math.max(this.config.minWeight, Math.round(this.configured[i]! * factor));
      if (weight !== this.applied[i]) {
        this.balancer.setWeight(id, weight);
        this.applied[i] = weight;
        this.updates++;
      }
    }
  }
}
