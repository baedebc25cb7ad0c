/**
 * Per-account pacing: a token bucket (OUTSCALE's SDKs hold themselves to about 5 requests per
 * second) and a cap on requests in flight. One instance per account key, shared process-wide.
 */
export class AccountRateLimiter {
  private tokens: number;
  private lastRefill = Date.now();
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly perSecond: number,
    private readonly maxInFlight: number,
  ) {
    this.tokens = perSecond;
  }

  /** Waits for a slot and a token; call the returned release when the request is done. */
  async acquire(): Promise<() => void> {
    while (this.inFlight >= this.maxInFlight)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.lastRefill) / 1000) * this.perSecond);
      this.lastRefill = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, ((1 - this.tokens) / this.perSecond) * 1000));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.waiting.shift()?.();
    };
  }
}

const limiters = new Map<string, AccountRateLimiter>();

export function limiterFor(accountKey: string, perSecond = 5, maxInFlight = 4): AccountRateLimiter {
  let limiter = limiters.get(accountKey);
  if (!limiter) {
    limiter = new AccountRateLimiter(perSecond, maxInFlight);
    limiters.set(accountKey, limiter);
  }
  return limiter;
}
