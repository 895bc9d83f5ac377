// A token bucket (Envoy's local rate limit filter): `ratePerSecond` tokens refill continuously up to `burst`;
// each request takes one, and a request finding the bucket empty is refused with 429.
export class TokenBucket {
  private tokens: number;
  private updatedUs = 0;

  constructor(private readonly ratePerSecond: number, private readonly burst: number) {
    this.tokens = burst;
  }

  take(nowUs: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((nowUs - this.updatedUs) * this.ratePerSecond) / 1e6);
    this.updatedUs = nowUs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
