// Which request field the hash algorithms hash: an explicit key first (NGINX `hash $request_uri`, Envoy hash
// policy), else the client address (`hash $remote_addr`), else the session cookie, else the empty string (every
// keyless request then maps to the same backend, as NGINX does with an empty key).
import type { RequestContext } from "./types.js";

export function hashKeyOf(ctx: RequestContext): string {
  return ctx.hashKey ?? ctx.clientAddress ?? ctx.sessionCookie ?? "";
}
