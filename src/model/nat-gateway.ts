// Many clients behind one public IPv4 address, sharing its source ports. Downstream (the load balancer, its
// ip-hash, its per-source limits) sees only the NAT's public address, and every connection to one destination
// needs its own source port, so a busy NAT runs out of ports: AWS documents that "each IPv4 address can
// support up to 55,000 simultaneous connections to each unique destination" (destination IP, port and
// protocol; Amazon VPC User Guide, "NAT gateway basics"), and counts refusals in the `ErrorPortAllocation`
// CloudWatch metric. A closed port cannot be reused at once: like TCP's TIME_WAIT (2 x MSL, 60 s on Linux,
// TCP_TIMEWAIT_LEN), it stays out of the pool for `portReuseDelayUs`. That is why clients that open a new
// connection per request, without keepalive, exhaust a NAT at a rate of at most ports / delay connections.
//
// One instance is one public address's ports toward one destination (the load balancer's address). Ports
// come back in the order they were released (FIFO), from a ring buffer of typed arrays: no object per port,
// no allocation per open or close, and an order that does not depend on anything but the call sequence.
import { InvariantError } from "../engine/invariant.js";

export interface NatGatewayConfig {
  /** Dotted-quad IPv4, e.g. "203.0.113.7" (RFC 5737 documentation range). */
  publicAddress: string;
  /** Source ports available toward one destination, e.g. AWS_NAT_PORTS_PER_DESTINATION. */
  ports: number;
  /** How long a closed port stays unusable (TIME_WAIT-like). Whole microseconds, >= 0. */
  portReuseDelayUs: number;
}

/** AWS's documented limit of simultaneous connections per NAT gateway IPv4 address and unique destination. */
export const AWS_NAT_PORTS_PER_DESTINATION = 55_000;
/** The first port handed out: below it are the well-known ports, which a NAT does not use as source ports. */
export const FIRST_NAT_PORT = 1024;
/** Ports from FIRST_NAT_PORT to 65535. */
export const MAX_NAT_PORTS = 65_536 - FIRST_NAT_PORT;

export class NatGateway {
  readonly publicAddress: string;
  readonly ports: number;
  readonly portReuseDelayUs: number;
  private exhausted = 0;
  private inUseCount = 0;
  private lastUs = 0;
  /** Released ports and the time each becomes usable, in release order (hence in ready-time order). */
  private readonly ringPort: Uint16Array;
  private readonly ringReadyUs: Float64Array;
  private head = 0;
  private size: number;
  /** 1 while a port (index port - FIRST_NAT_PORT) is open. */
  private readonly isOpen: Uint8Array;

  constructor(config: Readonly<NatGatewayConfig>) {
    parseIpv4(config.publicAddress);
    if (!(Number.isInteger(config.ports) && config.ports >= 1 && config.ports <= MAX_NAT_PORTS)) {
      throw new RangeError(`nat gateway ports must be a whole number in [1, ${MAX_NAT_PORTS}], got ${config.ports}`);
    }
    if (!(Number.isInteger(config.portReuseDelayUs) && config.portReuseDelayUs >= 0)) {
      throw new RangeError(`nat gateway portReuseDelayUs must be a whole number of microseconds >= 0, got ${config.portReuseDelayUs}`);
    }
    this.publicAddress = config.publicAddress;
    this.ports = config.ports;
    this.portReuseDelayUs = config.portReuseDelayUs;
    this.ringPort = new Uint16Array(config.ports);
    this.ringReadyUs = new Float64Array(config.ports); // every port ready at time 0
    for (let i = 0; i < config.ports; i++) this.ringPort[i] = FIRST_NAT_PORT + i;
    this.size = config.ports;
    this.isOpen = new Uint8Array(config.ports);
  }

  /** Connections currently open. */
  get inUse(): number {
    return this.inUseCount;
  }

  /** Opens refused because no port was ready (AWS `ErrorPortAllocation`). */
  get exhaustedCount(): number {
    return this.exhausted;
  }

  /** Takes the port released longest ago, if its reuse delay has passed; -1 (and one exhaustion) if none is ready. */
  open(nowUs: number): number {
    this.advanceTo(nowUs);
    if (this.size > 0 && this.ringReadyUs[this.head]! <= nowUs) {
      const port = this.ringPort[this.head]!;
      this.head = this.head + 1 === this.ports ? 0 : this.head + 1;
      this.size--;
      this.isOpen[port - FIRST_NAT_PORT] = 1;
      this.inUseCount++;
      return port;
    }
    this.exhausted++;
    return -1;
  }

  /** Releases an open port: it becomes usable again at nowUs + portReuseDelayUs. */
  close(port: number, nowUs: number): void {
    this.advanceTo(nowUs);
    const index = port - FIRST_NAT_PORT;
    if (!(index >= 0 && index < this.ports && this.isOpen[index] === 1)) {
      throw new InvariantError(`nat ${this.publicAddress}: closing port ${port}, which is not open`);
    }
    this.isOpen[index] = 0;
    this.inUseCount--;
    // Every port is either open or in the ring, so the ring never holds more than `ports` entries.
    let tail = this.head + this.size;
    if (tail >= this.ports) tail -= this.ports;
    this.ringPort[tail] = port;
    this.ringReadyUs[tail] = nowUs + this.portReuseDelayUs;
    this.size++;
  }

  /** Closed ports still inside their reuse delay at nowUs. */
  coolingDown(nowUs: number): number {
    // Ready times rise along the ring: binary search for the first one after nowUs.
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      let slot = this.head + mid;
      if (slot >= this.ports) slot -= this.ports;
      if (this.ringReadyUs[slot]! <= nowUs) lo = mid + 1;
      else hi = mid;
    }
    return this.size - lo;
  }

  /** Ports that open() could hand out at nowUs. */
  available(nowUs: number): number {
    return this.size - this.coolingDown(nowUs);
  }

  /** Calls must not go back in time: the ring's order by ready time depends on it. */
  private advanceTo(nowUs: number): void {
    if (!(Number.isInteger(nowUs) && nowUs >= this.lastUs)) {
      throw new InvariantError(`nat ${this.publicAddress}: time ${nowUs}us is not a whole microsecond at or after ${this.lastUs}us`);
    }
    this.lastUs = nowUs;
  }
}

/** An IPv4 address as an unsigned 32-bit integer, from its four octets: ipv4(10, 1, 0, 7). */
export function ipv4(a: number, b: number, c: number, d: number): number {
  for (const octet of [a, b, c, d]) {
    if (!(Number.isInteger(octet) && octet >= 0 && octet <= 255)) throw new RangeError(`an IPv4 octet must be a whole number in [0, 255], got ${octet}`);
  }
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Dotted-quad text for an unsigned 32-bit address. */
export function formatIpv4(address: number): string {
  if (!(Number.isInteger(address) && address >= 0 && address <= 0xffff_ffff)) throw new RangeError(`an IPv4 address must be a whole number in [0, 2^32), got ${address}`);
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

/** Parses strict dotted-quad text ("203.0.113.7": four decimal octets, no leading zeros) into a 32-bit address. */
export function parseIpv4(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9][0-9]{0,2})$/.test(part))) {
    throw new RangeError(`not a dotted-quad IPv4 address: "${text}"`);
  }
  const [a, b, c, d] = parts.map(Number) as [number, number, number, number];
  return ipv4(a, b, c, d);
}
