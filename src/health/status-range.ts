// Inclusive HTTP status ranges, as the proxies configure "expected" statuses: HAProxy `http-check expect` (2xx/3xx
// by default), NGINX Plus `match` (2xx/3xx by default), Envoy `expected_statuses` (200 by default), ALB `Matcher`
// (200 by default), Kubernetes httpGet (200 <= code < 400).

export interface StatusRange {
  readonly min: number;
  readonly max: number;
}

export function statusInRanges(status: number, ranges: readonly StatusRange[]): boolean {
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i]!;
    if (status >= range.min && status <= range.max) return true;
  }
  return false;
}

export const STATUS_200: readonly StatusRange[] = Object.freeze([Object.freeze({ min: 200, max: 200 })]);
export const STATUS_2XX_3XX: readonly StatusRange[] = Object.freeze([Object.freeze({ min: 200, max: 399 })]);
