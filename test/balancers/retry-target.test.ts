// Proves HAProxy's redispatch rule (back_handle_st_cer) retry by retry: a down server always redispatches, the
// default interval -1 redispatches on the last retry, a positive interval P on every Pth, and a non-hash algorithm
// with more than one active server at once.
import { describe, expect, it } from "vitest";
import { haproxyRedispatches } from "../../src/balancers/retry-target.js";

const hashed = { maxRetries: 3, serverUp: true, activeServers: 4, hashBased: true };

describe("haproxyRedispatches", () => {
  it("interval -1 with retries 3: only retry 3 (3 % (3 + 1 - 1) == 0)", () => {
    expect([1, 2, 3].map((k) => haproxyRedispatches(-1, { ...hashed, retryNumber: k }))).toEqual([false, false, true]);
  });

  it("interval 2: retries 2 and 4; interval 1: every retry", () => {
    const ctx = { ...hashed, maxRetries: 4 };
    expect([1, 2, 3, 4].map((k) => haproxyRedispatches(2, { ...ctx, retryNumber: k }))).toEqual([false, true, false, true]);
    expect([1, 2].map((k) => haproxyRedispatches(1, { ...ctx, retryNumber: k }))).toEqual([true, true]);
  });

  it("a server that is down always redispatches", () => {
    expect(haproxyRedispatches(-1, { ...hashed, retryNumber: 1, serverUp: false })).toBe(true);
  });

  it("round robin with two servers up redispatches at once; with one server up it waits for the last retry", () => {
    const rr = { ...hashed, hashBased: false };
    expect(haproxyRedispatches(-1, { ...rr, retryNumber: 1 })).toBe(true);
    expect(haproxyRedispatches(-1, { ...rr, retryNumber: 1, activeServers: 1 })).toBe(false);
  });
});
