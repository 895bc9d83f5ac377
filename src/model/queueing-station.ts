// A minimal queueing model on the engine: c identical servers, FIFO queues, Poisson-or-otherwise arrivals and a
// pluggable dispatcher. It exists to check the engine against queueing theory (M/M/1, M/M/c, M/D/1) and to run
// the speed benchmark's canonical workload; the load-balancer world lives in the other model files.
//
// Two disciplines: one queue shared by every server (M/M/c, Erlang C), or a queue per server with a dispatcher
// choosing at arrival (join-the-shortest-of-d-queues, "supermarket model"). Service times are drawn from their
// own stream when service starts, as the speed baseline does; the queues hold only arrival times.
import { Float64Fifo } from "../engine/fifo.js";
import type { Distribution } from "../engine/distributions/distribution.js";
import type { Clock } from "../engine/ports.js";
import { Simulation, type RunResult } from "../engine/simulation.js";
import type { Rng } from "../engine/rng.js";
import { BatchMeans } from "../metrics/batch-means.js";
import { createHistogram, type Histogram } from "../metrics/histogram.js";

/** Chooses a server for an arriving request from the number each server holds (queued + in service). */
export interface QueueDispatcher {
  pick(inSystem: Int32Array): number;
  /** A request left `server` (a dispatcher that keeps its own load counts, like a production balancer, needs it). */
  departed?(server: number): void;
}

export interface StationConfig {
  seed: string | number;
  servers: number;
  discipline: "shared-queue" | "per-server-queues";
  /** How many requests arrive; the run ends when the last has left. */
  arrivals: number;
  /** Interarrival and service distributions in microseconds. */
  interarrivalUs: Distribution;
  serviceUs: Distribution;
  /** Builds the dispatcher for per-server queues from its own random stream and the station's clock. */
  dispatcher?: (rng: Rng, servers: number, clock: Clock) => QueueDispatcher;
  /** Also count, per batch, sojourns above this time: lets a test put a standard error on a percentile. */
  tailThresholdUs?: number;
  /** Collect batch means for standard errors (tests); off in the benchmark. */
  batchStatistics?: boolean;
  /** How many batches the batch means use (default 32). */
  batches?: number;
}

export interface StationResult {
  run: RunResult;
  completed: number;
  sojournUs: Histogram;
  meanSojournUs: number;
  meanWaitUs: number;
  sojournBatches?: BatchMeans;
  waitBatches?: BatchMeans;
  tailBatches?: BatchMeans;
}

export function runStation(config: StationConfig): StationResult {
  const station = new QueueingStation(config);
  return station.run();
}

class QueueingStation {
  private readonly sim: Simulation;
  private readonly arrivalRng: Rng;
  private readonly serviceRng: Rng;
  private readonly dispatcher: QueueDispatcher | undefined;
  private readonly inSystem: Int32Array;
  /** Per server: arrival time and service start of the request in service. */
  private readonly servingArrival: Float64Array;
  private readonly servingStart: Float64Array;
  /** Arrival times of queued requests: one shared FIFO or one per server. */
  private readonly queues: Float64Fifo[];
  private readonly idle: number[] = [];
  private readonly shared: boolean;
  private readonly arrivals: number;
  private readonly interarrivalUs: Distribution;
  private readonly serviceUs: Distribution;
  private readonly arrivalKind: number;
  private readonly departureKind: number;
  private readonly histogram = createHistogram();
  private readonly sojournBatches: BatchMeans | undefined;
  private readonly waitBatches: BatchMeans | undefined;
  private readonly tailBatches: BatchMeans | undefined;
  private arrived = 0;
  private completed = 0;
  private sojournSum = 0;
  private waitSum = 0;

  constructor(private readonly config: StationConfig) {
    if (!(config.servers >= 1) || !Number.isInteger(config.servers)) throw new RangeError("servers must be an integer >= 1");
    if (config.discipline === "per-server-queues" && config.servers > 1 && !config.dispatcher) {
      throw new RangeError("per-server queues with more than one server need a dispatcher");
    }
    this.sim = new Simulation(config.seed);
    this.shared = config.discipline === "shared-queue";
    this.arrivals = config.arrivals;
    this.interarrivalUs = config.interarrivalUs;
    this.serviceUs = config.serviceUs;
    this.arrivalRng = this.sim.rng.fork("arrivals");
    this.serviceRng = this.sim.rng.fork("service");
    this.dispatcher = config.dispatcher?.(this.sim.rng.fork("dispatcher"), config.servers, this.sim);
    this.inSystem = new Int32Array(config.servers);
    this.servingArrival = new Float64Array(config.servers);
    this.servingStart = new Float64Array(config.servers);
    const queueCount = config.discipline === "shared-queue" ? 1 : config.servers;
    this.queues = Array.from({ length: queueCount }, () => new Float64Fifo());
    for (let s = config.servers - 1; s >= 0; s--) this.idle.push(s);
    if (config.batchStatistics) {
      const batches = config.batches ?? 32;
      this.sojournBatches = new BatchMeans(config.arrivals, batches);
      this.waitBatches = new BatchMeans(config.arrivals, batches);
      if (config.tailThresholdUs !== undefined) this.tailBatches = new BatchMeans(config.arrivals, batches);
    }
    this.arrivalKind = this.sim.on("arrival", this.onArrival);
    this.departureKind = this.sim.on("departure", this.onDeparture);
  }

  run(): StationResult {
    this.sim.after(Math.round(this.interarrivalUs.sample(this.arrivalRng)), this.arrivalKind);
    const run = this.sim.run({ maxEvents: 2 * this.config.arrivals + 16 });
    const result: StationResult = {
      run,
      completed: this.completed,
      sojournUs: this.histogram,
      meanSojournUs: this.completed === 0 ? 0 : this.sojournSum / this.completed,
      meanWaitUs: this.completed === 0 ? 0 : this.waitSum / this.completed,
    };
    if (this.sojournBatches) result.sojournBatches = this.sojournBatches;
    if (this.waitBatches) result.waitBatches = this.waitBatches;
    if (this.tailBatches) result.tailBatches = this.tailBatches;
    return result;
  }

  private readonly onArrival = (): void => {
    const now = this.sim.now;
    if (++this.arrived < this.arrivals) {
      this.sim.after(Math.round(this.interarrivalUs.sample(this.arrivalRng)), this.arrivalKind);
    }
    if (this.shared) {
      const server = this.idle.pop();
      if (server === undefined) this.queues[0]!.push(now);
      else this.startService(server, now);
      return;
    }
    const server = this.dispatcher ? this.dispatcher.pick(this.inSystem) : 0;
    if (++this.inSystem[server]! === 1) this.startService(server, now);
    else this.queues[server]!.push(now);
  };

  private startService(server: number, arrivalUs: number): void {
    this.servingArrival[server] = arrivalUs;
    this.servingStart[server] = this.sim.now;
    this.sim.after(Math.round(this.serviceUs.sample(this.serviceRng)), this.departureKind, server);
  }

  private readonly onDeparture = (server: number): void => {
    const now = this.sim.now;
    const arrival = this.servingArrival[server]!;
    const sojourn = now - arrival;
    const wait = this.servingStart[server]! - arrival;
    this.completed++;
    this.sojournSum += sojourn;
    this.waitSum += wait;
    this.histogram.recordValue(sojourn);
    if (this.sojournBatches) {
      this.sojournBatches.add(sojourn);
      this.waitBatches!.add(wait);
      this.tailBatches?.add(sojourn > this.config.tailThresholdUs! ? 1 : 0);
    }
    const shared = this.shared;
    const queue = this.queues[shared ? 0 : server]!;
    if (!shared) {
      this.inSystem[server]!--;
      this.dispatcher?.departed?.(server);
    }
    if (queue.length > 0) {
      this.startService(server, queue.shift());
    } else if (shared) {
      this.idle.push(server);
    }
  };
}
