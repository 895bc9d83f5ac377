// Hop-by-hop header fields, which describe one connection and must not be forwarded (RFC 9110 section 7.6.1): the
// fields named by Connection, Connection itself, and the ones "known to require removal" whether named or not:
// Proxy-Connection, Keep-Alive, TE, Transfer-Encoding, Upgrade (and RFC 2616's Trailer, Proxy-Authenticate and
// Proxy-Authorization, which NGINX and HAProxy also do not pass on).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";

const ALWAYS = new Set(["connection", "proxy-connection", "keep-alive", "te", "transfer-encoding", "upgrade", "trailer", "proxy-authenticate", "proxy-authorization"]);

/** A copy of `headers` without hop-by-hop fields. Node lower-cases incoming header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set<string>();
  const connection = headers.connection;
  for (const value of Array.isArray(connection) ? connection : connection === undefined ? [] : [connection]) {
    for (const token of value.split(",")) {
      const name = token.trim().toLowerCase();
      if (name !== "") named.add(name);
    }
  }
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || ALWAYS.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}
