// Proves HAProxy `first` fills backends in id order up to maxConnections and returns to the first as slots free.
import { describe, expect, it } from "vitest";
import { build } from "./helpers.js";

describe("first", () => {
  it("fills servers in id order up to their maxConnections", () => {
    const { balancer } = build({ algorithm: "first" }, [
      { id: "s1", maxConnections: 2 },
      { id: "s2", maxConnections: 3 },
      { id: "s3", maxConnections: 1 },
    ]);
    const placed: string[] = [];
    for (let i = 0; i < 6; i++) {
      const b = balancer.pick().backend!;
      balancer.onRequestStart(b);
      placed.push(b.id);
    }
    expect(placed).toEqual(["s1", "s1", "s2", "s2", "s2", "s3"]);
    expect(balancer.pick()).toEqual({ backend: null, reason: "all-full" });
    balancer.onRequestEnd("s1", { latencyUs: 1, success: true });
    expect(balancer.pick().backend!.id).toBe("s1");
  });

  it("skips a down server and uses the next in order", () => {
    const { balancer } = build({ algorithm: "first" }, [{ id: "s1", maxConnections: 1 }, { id: "s2", maxConnections: 1 }]);
    balancer.setHealth("s1", "unhealthy");
    expect(balancer.pick().backend!.id).toBe("s2");
  });
});
