// Proves NGINX max_fails/fail_timeout as ngx_http_upstream_round_robin.c implements them: the counting window, the
// time out of rotation, max_fails=0, and the single-server exception.
import { describe, expect, it } from "vitest";
import { seconds } from "../../src/engine/time.js";
import {
  NGINX_PASSIVE_DEFAULTS,
  NGINX_PASSIVE_INITIAL,
  nginxPassiveAvailable,
  nginxPassiveAvailableAtUs,
  nginxPassiveOnFailure,
  nginxPassiveOnSelect,
  nginxPassiveOnSuccess,
} from "../../src/health/index.js";

const three = { ...NGINX_PASSIVE_DEFAULTS, maxFails: 3, failTimeoutUs: seconds(30) };

describe("NGINX max_fails / fail_timeout", () => {
  it("defaults: one failure takes the server out for 10 s", () => {
    const s = nginxPassiveOnFailure(NGINX_PASSIVE_INITIAL, NGINX_PASSIVE_DEFAULTS, seconds(100));
    expect(nginxPassiveAvailable(s, NGINX_PASSIVE_DEFAULTS, seconds(105))).toBe(false);
    expect(nginxPassiveAvailable(s, NGINX_PASSIVE_DEFAULTS, seconds(110))).toBe(false);
    expect(nginxPassiveAvailable(s, NGINX_PASSIVE_DEFAULTS, seconds(110) + 1)).toBe(true);
    expect(nginxPassiveAvailableAtUs(s, NGINX_PASSIVE_DEFAULTS, seconds(105))).toBe(seconds(110) + 1);
  });

  it("max_fails=3 within fail_timeout=30s: three failures in the window mark it unavailable for 30 s", () => {
    let s = NGINX_PASSIVE_INITIAL;
    for (const t of [0, 10, 20]) {
      s = nginxPassiveOnSelect(s, three, seconds(t));
      s = nginxPassiveOnFailure(s, three, seconds(t));
    }
    expect(nginxPassiveAvailable(s, three, seconds(21))).toBe(false);
    expect(nginxPassiveAvailable(s, three, seconds(50))).toBe(false);
    expect(nginxPassiveAvailable(s, three, seconds(51))).toBe(true);
  });

  it("a success within the window does not clear the count; one after the window (with a new selection) does", () => {
    let s = nginxPassiveOnFailure(NGINX_PASSIVE_INITIAL, three, seconds(0));
    s = nginxPassiveOnSelect(s, three, seconds(5));
    s = nginxPassiveOnSuccess(s, three);
    expect(s.fails).toBe(1);
    s = nginxPassiveOnSelect(s, three, seconds(31));
    s = nginxPassiveOnSuccess(s, three);
    expect(s.fails).toBe(0);
  });

  it("after the time out, a failed retry takes it out again for another fail_timeout", () => {
    let s = NGINX_PASSIVE_INITIAL;
    for (let i = 0; i < 3; i++) s = nginxPassiveOnFailure(s, three, seconds(0));
    s = nginxPassiveOnSelect(s, three, seconds(31));
    s = nginxPassiveOnFailure(s, three, seconds(31));
    expect(nginxPassiveAvailable(s, three, seconds(60))).toBe(false);
    expect(nginxPassiveAvailable(s, three, seconds(62))).toBe(true);
  });

  it("max_fails=0 never marks the server unavailable", () => {
    const off = { ...three, maxFails: 0 };
    let s = NGINX_PASSIVE_INITIAL;
    for (let i = 0; i < 10; i++) s = nginxPassiveOnFailure(s, off, seconds(1));
    expect(nginxPassiveAvailable(s, off, seconds(1))).toBe(true);
  });

  it("a single-server upstream ignores max_fails and fail_timeout and does not even count", () => {
    const single = { ...NGINX_PASSIVE_DEFAULTS, singleServer: true };
    let s = NGINX_PASSIVE_INITIAL;
    for (let i = 0; i < 5; i++) s = nginxPassiveOnFailure(s, single, seconds(1));
    expect(s.fails).toBe(0);
    expect(nginxPassiveAvailable(s, single, seconds(1))).toBe(true);
  });
});
