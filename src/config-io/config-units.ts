// Durations in each proxy's own notation. HAProxy takes us/ms/s/m/h/d suffixes (configuration.txt 2.5, "Time
// format"); NGINX takes ms/s/m/h/d and nothing finer (ngx_parse_time); Envoy takes protobuf Duration JSON, seconds
// with up to nine decimals ("1.5s"). Parsing goes the other way, to whole microseconds as lbsim keeps time.
import { US_PER_MS, US_PER_SECOND } from "../engine/time.js";

/** HAProxy: the largest unit that divides the value exactly (`2s`, `1500ms`, `250us`). */
export function haproxyTime(us: number): string {
  if (us % (60 * US_PER_SECOND) === 0 && us >= 60 * US_PER_SECOND) return `${us / (60 * US_PER_SECOND)}m`;
  if (us % US_PER_SECOND === 0) return `${us / US_PER_SECOND}s`;
  if (us % US_PER_MS === 0) return `${us / US_PER_MS}ms`;
  return `${us}us`;
}

/** NGINX: whole milliseconds at best; `exact` is false when the value had to be rounded up to a millisecond. */
export function nginxTime(us: number): { text: string; exact: boolean } {
  const msRounded = Math.max(1, Math.ceil(us / US_PER_MS));
  const exact = msRounded * US_PER_MS === us;
  if (msRounded % 60_000 === 0) return { text: `${msRounded / 60_000}m`, exact };
  if (msRounded % 1000 === 0) return { text: `${msRounded / 1000}s`, exact };
  return { text: `${msRounded}ms`, exact };
}

/** Envoy Duration JSON: `5s`, `0.25s`. */
export function envoyDuration(us: number): string {
  return `${Number((us / US_PER_SECOND).toFixed(6))}s`;
}

/** lbsim scenario text: `2s`, `250ms`, `1500us` (exact, so the schema reads back the same microseconds). */
export function scenarioDuration(us: number): string {
  if (us === 0) return "0s";
  if (us % (60 * US_PER_SECOND) === 0) return `${us / (60 * US_PER_SECOND)}m`;
  if (us % US_PER_SECOND === 0) return `${us / US_PER_SECOND}s`;
  if (us % US_PER_MS === 0) return `${us / US_PER_MS}ms`;
  return `${us}us`;
}

const HAPROXY_UNITS: Readonly<Record<string, number>> = { us: 1, ms: US_PER_MS, s: US_PER_SECOND, m: 60 * US_PER_SECOND, h: 3600 * US_PER_SECOND, d: 86_400 * US_PER_SECOND };

/** HAProxy time: a number with an optional unit, milliseconds when bare. null when it is not one. */
export function parseHaproxyTime(text: string): number | null {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(text);
  if (m === null) return null;
  return Number(m[1]) * HAPROXY_UNITS[m[2] ?? "ms"]!;
}

const NGINX_UNITS: Readonly<Record<string, number>> = { ms: US_PER_MS, s: US_PER_SECOND, m: 60 * US_PER_SECOND, h: 3600 * US_PER_SECOND, d: 86_400 * US_PER_SECOND, w: 7 * 86_400 * US_PER_SECOND };

/** NGINX time: one or more `<n><unit>` parts (`1m30s`); seconds when bare. null when it is not one. */
export function parseNginxTime(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text) * US_PER_SECOND;
  const parts = /^(?:\d+(?:ms|s|m|h|d|w))+$/.test(text) ? text.match(/\d+(?:ms|s|m|h|d|w)/g) : null;
  if (parts === null) return null;
  let total = 0;
  for (const part of parts) {
    const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(part)!;
    total += Number(m[1]) * NGINX_UNITS[m[2]!]!;
  }
  return total;
}

/** Envoy Duration: `"5s"`, `"0.25s"`, or the object form `{ seconds, nanos }`. null when it is not one. */
export function parseEnvoyDuration(value: unknown): number | null {
  if (typeof value === "string") {
    const m = /^(\d+(?:\.\d{1,9})?)s$/.exec(value);
    return m === null ? null : Math.round(Number(m[1]) * US_PER_SECOND);
  }
  if (value !== null && typeof value === "object") {
    const { seconds, nanos } = value as { seconds?: unknown; nanos?: unknown };
    const s = Number(seconds ?? 0);
    const n = Number(nanos ?? 0);
    if (!Number.isFinite(s) || !Number.isFinite(n)) return null;
    return Math.round(s * US_PER_SECOND + n / 1000);
  }
  return null;
}
