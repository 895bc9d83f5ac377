// The bytes of a client address that ip-hash feeds to its hash. NGINX `ip_hash` uses the first three octets of
// an IPv4 address (so a whole /24, or every client behind one NAT, lands on one server) and the whole address
// for IPv6; IPv4-mapped IPv6 addresses count as IPv4. Anything that does not parse as dotted IPv4 (IPv6 text,
// host names) contributes the four bytes of its murmur3 hash, a stand-in for the address bytes NGINX would read
// from the socket.
import { murmur3 } from "./hash.js";

const MAPPED_PREFIX = "::ffff:";

/** Writes the bytes to hash into `out` (length >= 4) and returns how many there are. */
export function addressBytes(address: string, wholeAddress: boolean, out: Uint8Array): number {
  const start = hasMappedPrefix(address) ? MAPPED_PREFIX.length : 0;
  if (parseIpv4(address, start, out)) return wholeAddress ? 4 : 3;
  const h = murmur3(address);
  out[0] = h & 0xff;
  out[1] = (h >>> 8) & 0xff;
  out[2] = (h >>> 16) & 0xff;
  out[3] = h >>> 24;
  return 4;
}

/** Parses dotted-quad IPv4 from `start` into out[0..3]; false if the text is not exactly four octets. */
function parseIpv4(text: string, start: number, out: Uint8Array): boolean {
  let octet = 0;
  let digits = 0;
  let part = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || part === 3) return false;
      out[part++] = octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return false;
    } else {
      return false;
    }
  }
  if (digits === 0 || part !== 3) return false;
  out[3] = octet;
  return true;
}

/** Case-insensitive "::ffff:" prefix test without allocating a lowered copy. */
function hasMappedPrefix(text: string): boolean {
  if (text.length <= MAPPED_PREFIX.length) return false;
  for (let i = 0; i < MAPPED_PREFIX.length; i++) {
    if ((text.charCodeAt(i) | 0x20) !== MAPPED_PREFIX.charCodeAt(i)) return false;
  }
  return true;
}
