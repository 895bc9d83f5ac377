// Proves the supervisor owns its processes: a backend child starts, answers, is stopped by SIGSTOP (a real
// stop-the-world pause: connections complete, nothing is answered) and continued, and killAll leaves none alive.
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { Supervisor } from "../../src/conform/supervisor.js";

function get(port: number, timeoutMs: number): Promise<{ status: number; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve({ status: 0, ms: performance.now() - start }));
    req.end();
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("Supervisor", () => {
  it("starts a backend process, pauses it with SIGSTOP, and kills it by PID", async () => {
    const supervisor = new Supervisor(performance.now(), () => performance.now());
    try {
      const backend = await supervisor.startBackend({
        name: "b", workers: 2, queueLimit: 10, backlog: 64, speedFactor: 1, warmup: null, coldStart: false,
        healthCheckCostUs: 100, fastFailUs: 1_000, readiness: "process", seed: "1",
      });
      expect((await get(backend.port, 2_000)).status).toBe(200);
      supervisor.pause(backend.pid, 400);
      // Sent during the 400 ms stop: the kernel accepts, the answer comes only after SIGCONT.
      const paused = await get(backend.port, 2_000);
      expect(paused.status).toBe(200);
      expect(paused.ms).toBeGreaterThanOrEqual(300);
      expect(await backend.tally()).toBe(2);
      supervisor.killAll();
      await new Promise((r) => setTimeout(r, 100));
      expect(alive(backend.pid)).toBe(false);
      expect(supervisor.running).toBe(0);
    } finally {
      supervisor.killAll();
    }
  });
});
