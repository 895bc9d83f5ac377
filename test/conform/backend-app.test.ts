// Proves the real backend enacts the model's backend on loopback sockets: workers and the queue limit (a full
// queue answers 503 at once), service time from the demand header, hang (held, answered after recovery), crash
// (in-flight connections reset, new ones refused), dependencies (requests that need them and the deep check
// fail), and the not-ready warmup period. Bounded: a handful of requests, each test a second or less.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { BackendApp, type BackendAppConfig } from "../../src/conform/backend-app.js";

const CONFIG: BackendAppConfig = {
  name: "app-1", workers: 1, queueLimit: 1, backlog: 64, speedFactor: 1, warmup: null, coldStart: false,
  healthCheckCostUs: 200, fastFailUs: 1_000, readiness: "process", seed: "1",
};

interface Answer { status: number; backend: string; ms: number; error?: string }

function get(port: number, path: string, demandUs: number, needsDependencies = false): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false, headers: { "x-lbsim-demand-us": String(demandUs), "x-lbsim-needs-dependencies": needsDependencies ? "1" : "0" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, backend: String(res.headers["x-lbsim-backend"] ?? ""), ms: performance.now() - start }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ status: 0, backend: "", ms: performance.now() - start, error: e.code ?? "error" }));
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let app: BackendApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe("BackendApp", () => {
  it("serves with one worker and a queue of one; the third concurrent request is shed with 503", async () => {
    app = new BackendApp(CONFIG);
    const port = await app.listen(0);
    // 400 ms of work each, sent 30 ms apart: the first is served, the second queues behind it, the third finds
    // the worker busy and the queue full and is shed at once. Only lower bounds on time are asserted: a loaded
    // machine may be late, never early.
    const answers = await Promise.all([get(port, "/", 400_000), sleep(30).then(() => get(port, "/", 400_000)), sleep(60).then(() => get(port, "/", 400_000))]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 503]);
    expect(answers[0]!.ms).toBeGreaterThanOrEqual(399);
    // The second waits for the first (until about 400 ms from t=0) and then serves its own 400 ms.
    expect(answers[1]!.ms).toBeGreaterThanOrEqual(760);
    expect(answers[0]!.backend).toBe("app-1");
  });

  it("holds requests while hung and answers them after recovery", async () => {
    app = new BackendApp({ ...CONFIG, workers: 4 });
    const port = await app.listen(0);
    await app.command({ kind: "hang" });
    const pending = get(port, "/", 1_000);
    const health = get(port, "/healthz", 0);
    await sleep(300);
    await app.command({ kind: "recover" });
    const [answer, check] = await Promise.all([pending, health]);
    expect([answer.status, check.status]).toEqual([200, 200]);
    expect(answer.ms).toBeGreaterThanOrEqual(295);
  });

  it("crashes: the request in flight is reset and new connections are refused; start listens again", async () => {
    app = new BackendApp({ ...CONFIG, workers: 4 });
    const port = await app.listen(0);
    const inFlight = get(port, "/", 500_000);
    await sleep(50);
    await app.command({ kind: "crash" });
    expect((await inFlight).error).toBe("ECONNRESET");
    expect((await get(port, "/", 0)).error).toBe("ECONNREFUSED");
    await app.command({ kind: "start" });
    expect((await get(port, "/", 0)).status).toBe(200);
  });

  it("fails requests that need a dependency and the deep check while it is down", async () => {
    app = new BackendApp({ ...CONFIG, workers: 4 });
    const port = await app.listen(0);
    await app.command({ kind: "dependency-down", name: "db" });
    expect((await get(port, "/", 1_000, true)).status).toBe(500);
    expect((await get(port, "/", 1_000, false)).status).toBe(200);
    expect((await get(port, "/healthz", 0)).status).toBe(200);
    expect((await get(port, "/healthz/deep", 0)).status).toBe(503);
    await app.command({ kind: "dependency-up", name: "db" });
    expect((await get(port, "/healthz/deep", 0)).status).toBe(200);
  });

  it("answers nothing while not ready after a cold start, then serves", async () => {
    app = new BackendApp({ ...CONFIG, workers: 4, coldStart: true, warmup: { notReadyUs: 300_000, initialMultiplier: 1, requests: 0 } });
    const port = await app.listen(0);
    const check = await get(port, "/healthz", 0);
    // The check waits out the not-ready period (300 ms from the start) and is answered then.
    expect(check.status).toBe(200);
    expect(check.ms).toBeGreaterThanOrEqual(250);
    expect((await get(port, "/", 0)).ms).toBeLessThan(100);
  });

  it("fails fast at the fast-5xx rate (1.0: every request)", async () => {
    app = new BackendApp({ ...CONFIG, workers: 4 });
    const port = await app.listen(0);
    await app.command({ kind: "fast-5xx", rate: 1 });
    expect((await get(port, "/", 500_000)).status).toBe(500);
  });
});
