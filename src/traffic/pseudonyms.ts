// Client addresses from a log are personal data: they are replaced, as the reader meets them, by stable
// pseudonyms, and the real ones go no further (not into scenarios, reports, JSON or CSV). The pseudonyms keep
// what balancing depends on: two clients in one /24 (one NAT, one office) get two pseudonyms in one pseudonymous
// /24, because NGINX `ip_hash` hashes the first three octets of an IPv4 address (ngx_http_upstream_ip_hash_module)
// and a whole /24 behind one NAT lands on one server. IPv6 clients are grouped by their /64.
//
// Pseudonymous /24 number k (in order of first appearance) is 10.(1 + k / 256).(k % 256); hosts in it are numbered
// 1, 2, 3, ... in order of first appearance. Same log, same pseudonyms: deterministic, and unlinkable to the real
// address without the log itself.

/** The grouping key of an address: its /24 for IPv4, its /64 for IPv6, the whole text otherwise. */
export function networkOf(address: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(address);
  if (v4 !== null) return `${v4[1]}.${v4[2]}.${v4[3]}`;
  if (address.includes(":")) return address.split(":").slice(0, 4).join(":");
  return address;
}

/** 65,280 pseudonymous /24s (10.1.0 to 10.255.255) of 254 hosts each. */
const MAX_NETWORKS = 255 * 256;
const HOSTS_PER_NETWORK = 254;

export class Pseudonyms {
  private readonly networks = new Map<string, { index: number; hosts: Map<string, number> }>();
  private readonly byAddress = new Map<string, string>();
  /** Requests per pseudonymous /24, in order of first appearance. */
  readonly requestsPerNetwork: number[] = [];

  /** The pseudonym of `address`, the same every time it is asked. */
  of(address: string): string {
    const known = this.byAddress.get(address);
    const key = networkOf(address);
    let network = this.networks.get(key);
    if (network === undefined) {
      // Past 65,280 networks, further ones share pseudonymous /24s: grouping then over-clumps, never splits.
      network = { index: this.networks.size % MAX_NETWORKS, hosts: new Map() };
      this.networks.set(key, network);
      this.requestsPerNetwork.push(0);
    }
    this.requestsPerNetwork[network.index] = (this.requestsPerNetwork[network.index] ?? 0) + 1;
    if (known !== undefined) return known;
    const host = (network.hosts.size % HOSTS_PER_NETWORK) + 1;
    network.hosts.set(address, host);
    const pseudonym = `10.${1 + Math.floor(network.index / 256)}.${network.index % 256}.${host}`;
    this.byAddress.set(address, pseudonym);
    return pseudonym;
  }

  get addressCount(): number {
    return this.byAddress.size;
  }

  get networkCount(): number {
    return this.networks.size;
  }
}
