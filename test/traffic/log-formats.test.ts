// Proves each log format's lines parse into the request records lbsim needs (arrival to the millisecond where the
// log has it, the answering server's time with the balancer's share taken out, the client, keepalive reuse), and
// that a line of another shape is an error that says what was expected.
import { describe, expect, it } from "vitest";
import { csvLineParser, LogLineError, parseHaproxyLine, parseLogDateUs, parseNginxLine, splitCsvLine } from "../../src/traffic/log-formats.js";
import { className, pathPattern } from "../../src/traffic/path-pattern.js";

describe("NGINX lines (lbsim's log_format)", () => {
  const line = '203.0.113.9 - - [30/Nov/2026:10:00:01 +0000] "GET /api/users/42?x=1 HTTP/1.1" 200 512 "-" "curl/8" rt=0.153 urt="0.002, 0.150" uct="0.001, 0.004" msec=1796032801.500 cr=3';

  it("takes the arrival from msec - rt, the demand from the last upstream less its connect time", () => {
    const r = parseNginxLine(line);
    // Logged at 1796032801.500 s, after 0.153 s: arrived at 1796032801.347 s.
    expect(r.arrivalUs).toBe(1796032801_347_000);
    expect(r).toMatchObject({ method: "GET", path: "/api/users/42", client: "203.0.113.9", status: 200, reusedConnection: true });
    // The second upstream answered: 150 ms, of which its connect took 4 ms.
    expect(r.demandUs).toBe(146_000);
  });

  it("falls back to $time_local (whole seconds) and marks a missing upstream time", () => {
    const r = parseNginxLine('10.1.2.3 - - [30/Nov/2026:10:00:01 +0100] "POST /login HTTP/1.1" 499 0 "-" "-" rt=0.000 urt="-"');
    // 10:00:01 at +01:00 is 09:00:01 UTC.
    expect(r.arrivalUs).toBe(Date.UTC(2026, 10, 30, 9, 0, 1) * 1000);
    expect(r.demandUs).toBeNaN();
    expect(r.reusedConnection).toBeNull();
  });

  it("rejects a line of another shape, saying what it expected", () => {
    expect(() => parseNginxLine("hello world")).toThrow(LogLineError);
    expect(() => parseNginxLine("hello world")).toThrow(/combined format/);
  });
});

describe("HAProxy httplog lines", () => {
  const line = 'Nov 30 10:00:00 lb1 haproxy[1234]: 192.0.2.7:51234 [30/Nov/2026:10:00:00.655] web~ app/app-3 0/2/1/87/90 200 2750 - - ---- 1/1/1/1/0 0/0 {host} "GET /static/app.js HTTP/1.1"';

  it("takes the accept date with milliseconds and Tr as the server's time", () => {
    const r = parseHaproxyLine(line);
    expect(r.arrivalUs).toBe(Date.UTC(2026, 10, 30, 10, 0, 0) * 1000 + 655_000);
    expect(r).toMatchObject({ method: "GET", path: "/static/app.js", client: "192.0.2.7", status: 200, demandUs: 87_000 });
  });

  it("marks no server response (Tr = -1) as no demand", () => {
    expect(parseHaproxyLine(line.replace("0/2/1/87/90 200", "0/2/-1/-1/3002 503")).demandUs).toBeNaN();
  });

  it("rejects other lines", () => {
    expect(() => parseHaproxyLine('1.2.3.4 - - [x] "GET / HTTP/1.1" 200')).toThrow(/httplog/);
  });
});

describe("CSV lines", () => {
  it("reads the columns by header name, quotes included", () => {
    const parse = csvLineParser("client,timestamp,method,path,duration_ms,status,connection_requests");
    expect(parse('"10.0.0.1",1796032801.25,get,"/a,b",12.5,503,1')).toMatchObject({ arrivalUs: 1796032801_250_000, method: "GET", path: "/a,b", demandUs: 12_500, status: 503, reusedConnection: false });
    expect(splitCsvLine('a,"b ""c""",')).toEqual(["a", 'b "c"', ""]);
  });

  it("names missing columns and bad values", () => {
    expect(() => csvLineParser("time,method,path")).toThrow(/lacks timestamp, client, duration_ms/);
    const parse = csvLineParser("timestamp,method,path,client,duration_ms");
    expect(() => parse("1,GET,/,c,-3")).toThrow(/duration_ms as a number >= 0/);
    expect(() => parse("1,GET,nopath,c,3")).toThrow(/path starting with \//);
  });
});

describe("dates, patterns and names", () => {
  it("parses the log date forms", () => {
    expect(parseLogDateUs("01/Jan/2026:00:00:00 -0130")).toBe(Date.UTC(2026, 0, 1, 1, 30) * 1000);
    expect(() => parseLogDateUs("2026-01-01")).toThrow(/expected a date/);
  });

  it("turns identifiers into pattern segments", () => {
    expect(pathPattern("/users/42/orders/9f1c2b3a4d")).toBe("/users/:id/orders/:hex");
    expect(pathPattern("/a/123e4567-e89b-12d3-a456-426614174000")).toBe("/a/:uuid");
    expect(pathPattern("/static/app.js")).toBe("/static/app.js");
    expect(className("GET", "/users/:id/orders")).toBe("get-users-id-orders");
  });
});
