// The balancer tier: one or several nodes, each with its own production balancer and its own health view, and
// the way clients reach them (round robin, or DNS-like stickiness per client for a TTL). It is the world's front
// door, and it carries out deregistration: drain on every node, then terminate the backend.
import { createBalancer } from "../../balancers/create-balancer.js";
import { invariant } from "../../engine/invariant.js";
import type { Backend } from "../backend.js";
import type { FrontDoor, World } from "../world.js";
import type { LbTierConfig } from "./lb-config.js";
import { LbNode } from "./lb-node.js";
import { LbRequestState } from "./lb-request-state.js";
import { SimTimerPort } from "../sim-timer-port.js";
import { NodeHealth } from "./node-health.js";

const MAX_NODES = 64;

export class LbTier implements FrontDoor {
  readonly nodes: LbNode[] = [];
  private readonly state = new LbRequestState();
  private readonly nodeByOwner = new Map<number, LbNode>();
  private readonly clientNode: Int32Array;
  private readonly clientNodeUntilUs: Float64Array;
  private nextNode = 0;
  private readonly terminateKind: number;
  private readonly terminated: boolean[] = [];
  private readonly deregistering: boolean[] = [];

  constructor(private readonly world: World, readonly config: LbTierConfig) {
    invariant(config.nodes.length >= 1 && config.nodes.length <= MAX_NODES, `a tier has 1 to ${MAX_NODES} nodes`);
    const sim = world.sim;
    const byRequest = (handler: (node: LbNode, request: number) => void) => (request: number) =>
      handler(this.nodes[this.state.node[request]!]!, request);
    const byAttempt = (handler: (node: LbNode, attempt: number) => void) => (attempt: number) =>
      handler(this.nodeByOwner.get(world.attempts.owner[attempt]!)!, attempt);
    const nodeKinds = {
      parsed: sim.on("lb-parsed", byRequest((node, r) => node.parsed(r))),
      attemptTimeout: sim.on("lb-upstream-timeout", byAttempt((node, a) => node.attemptTimeout(a))),
      queueTimeout: sim.on("lb-queue-timeout", byRequest((node, r) => node.queueTimeout(r))),
      reweight: sim.on("lb-reweight", (node) => this.nodes[node]!.reweight()),
      hedge: sim.on("lb-hedge", byRequest((node, r) => node.hedge(r))),
      turnaround: sim.on("lb-retry-turnaround", byRequest((node, r) => node.turnaroundEnded(r))),
      feedback: sim.on("lb-load-report", (node) => this.nodes[node]!.loadReport()),
    };
    world.requestCarrierKinds.add(nodeKinds.parsed).add(nodeKinds.queueTimeout).add(nodeKinds.turnaround);
    const healthTimers = new SimTimerPort(sim, "health-timer");
    this.terminateKind = sim.on("backend-terminate", (backend) => this.terminate(backend));
    config.nodes.forEach((nodeConfig, index) => {
      const label = `lb/${nodeConfig.name}`;
      const balancer = createBalancer(nodeConfig.balancer, { clock: sim, rng: sim.rng.fork(`${label}/balancer`) });
      const health = new NodeHealth(index, nodeConfig.health, world, balancer, sim.rng.fork(`${label}/health`), healthTimers);
      const node = new LbNode(index, nodeConfig, world, balancer, health, this.state, nodeKinds, (b) => this.onTryEnded(b));
      this.nodes.push(node);
      this.nodeByOwner.set(node.ownerIndex, node);
    });
    this.clientNode = new Int32Array(world.clients.clientCount).fill(-1);
    this.clientNodeUntilUs = new Float64Array(world.clients.clientCount);
    for (const backend of world.backends) this.onBackendAdded(backend);
    world.backendAddedListeners.push((backend) => this.onBackendAdded(backend));
    world.attachFrontDoor(this);
  }

  receive(request: number): void {
    this.state.ensure(this.world.requests.capacity);
    this.nodes[this.nodeFor(request)]!.receive(request);
  }

  /** Which node a request reaches: round robin per request, or the client's cached DNS answer until its TTL. */
  private nodeFor(request: number): number {
    const count = this.nodes.length;
    if (count === 1) return 0;
    const spread = this.config.spread;
    if (spread.kind === "round-robin") return this.nextNode++ % count;
    const client = this.world.requests.client[request]!;
    if (this.clientNode[client]! < 0 || this.world.now >= this.clientNodeUntilUs[client]!) {
      this.clientNode[client] = this.nextNode++ % count;
      this.clientNodeUntilUs[client] = this.world.now + spread.ttlUs;
    }
    return this.clientNode[client]!;
  }

  private onBackendAdded(backend: Backend): void {
    this.terminated[backend.index] = false;
    this.deregistering[backend.index] = false;
    for (const node of this.nodes) node.addBackend(backend.index);
  }

  /**
   * Deregisters a backend (scale-in, deploy): every node stops sending it new requests and lets in-flight ones
   * finish; the backend terminates when every node has drained it or when the delay ends, whichever is first.
   * With a delay of 0 it terminates at once and whatever was in flight is cut.
   */
  deregister(backend: number, delayUs: number): void {
    if (this.terminated[backend] || this.deregistering[backend]) return;
    this.deregistering[backend] = true;
    for (const node of this.nodes) node.health.drain(backend, delayUs);
    if (delayUs <= 0) this.terminate(backend);
    else this.world.sim.after(delayUs, this.terminateKind, backend);
  }

  private onTryEnded(backend: number): void {
    if (this.deregistering[backend] && !this.terminated[backend] && this.nodes.every((n) => n.health.drained(backend))) {
      this.terminate(backend);
    }
  }

  private terminate(backend: number): void {
    if (this.terminated[backend]) return;
    this.terminated[backend] = true;
    this.world.backends[backend]!.crash();
    for (const node of this.nodes) node.removeBackend(backend);
  }
}
