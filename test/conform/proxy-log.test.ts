// Proves the lab reads the real proxies' output: HAProxy and NGINX access lines in the lab's formats (server,
// status, termination state, NGINX's list of tries) and the health announcements of both, recorded verbatim.
import { describe, expect, it } from "vitest";
import { parseHaproxyHealth, parseNginxHealth, parseRequestLine } from "../../src/conform/proxy-log.js";

const names = new Map([["127.0.0.1:40001", "app-1"], ["127.0.0.1:40002", "app-2"]]);
const name = (a: string): string => names.get(a) ?? a;

describe("access lines", () => {
  it("reads HAProxy's line: URI with the id, server, status, termination state", () => {
    expect(parseRequestLine("lbsim-req /?lbsim-id=17 app-1 504 sH", name)).toEqual({ id: 17, servers: ["app-1"], status: 504, termination: "sH" });
    expect(parseRequestLine("lbsim-req /x?a=1&lbsim-id=3 <NOSRV> 503 SC", name)).toEqual({ id: 3, servers: [], status: 503, termination: "SC" });
    expect(parseRequestLine("lbsim-req /?lbsim-id=4 app-2 -1 CD", name)).toEqual({ id: 4, servers: ["app-2"], status: 0, termination: "CD" });
  });

  it("reads NGINX's line with every try in $upstream_addr", () => {
    expect(parseRequestLine("lbsim-req /?lbsim-id=9 127.0.0.1:40001, 127.0.0.1:40002 200", name)).toEqual({ id: 9, servers: ["app-1", "app-2"], status: 200, termination: "" });
    expect(parseRequestLine("lbsim-req /?lbsim-id=10 - 502", name)).toEqual({ id: 10, servers: [], status: 502, termination: "" });
  });

  it("ignores other lines", () => {
    expect(parseRequestLine("Server be/app-1 is DOWN, reason: Layer7 timeout", name)).toBeNull();
    expect(parseRequestLine("lbsim-req /no-id app-1 200 --", name)).toBeNull();
  });
});

describe("health announcements", () => {
  it("reads HAProxy's DOWN and UP lines from stdout only", () => {
    const down = "Server be/app-1 is DOWN, reason: Layer7 timeout, check duration: 1001ms. 4 active and 0 backup servers left. 3 sessions active, 0 requeued, 0 remaining in queue.";
    expect(parseHaproxyHealth({ atMs: 5_039, stream: "stdout", text: down })).toEqual({ atMs: 5_039, backend: "app-1", state: "down", reason: "Layer7 timeout" });
    expect(parseHaproxyHealth({ atMs: 5_039, stream: "stderr", text: `[WARNING]  (1) : ${down}` })).toBeNull();
    const up = "Server be/gc is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 5 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.";
    expect(parseHaproxyHealth({ atMs: 17_000, stream: "stdout", text: up })).toEqual({ atMs: 17_000, backend: "gc", state: "up", reason: "Layer7 check passed" });
    expect(parseHaproxyHealth({ atMs: 1, stream: "stdout", text: "Server be/app-2 is going DOWN for maintenance. 4 active and 0 backup servers left." })?.state).toBe("maint");
  });

  it("reads NGINX's 'temporarily disabled' warning and names the server", () => {
    const line = '2026/11/30 10:00:00 [warn] 12#12: *40 upstream server temporarily disabled while reading response header from upstream, client: 127.1.0.3, server: , request: "GET /?lbsim-id=5 HTTP/1.1", upstream: "http://127.0.0.1:40002/?lbsim-id=5", host: "127.0.0.1:8080"';
    expect(parseNginxHealth({ atMs: 900, stream: "stderr", text: line }, name)).toEqual({ atMs: 900, backend: "app-2", state: "down", reason: "max_fails" });
  });
});
