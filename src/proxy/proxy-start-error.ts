// The proxy's startup error in a module of its own, so the CLI's error handler can recognise it without
// loading the proxy, the balancers and node:http on every command (`lbsim --version` included).

/** A startup problem the user can fix (port in use, address not available): one line, exit code 2. */
export class ProxyStartError extends Error {
  override readonly name = "ProxyStartError";
}
