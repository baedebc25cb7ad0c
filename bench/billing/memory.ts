/** RSS high-water mark, sampled every 50 ms (plus on demand), resettable per phase. */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  /** Peak since the last reset, in bytes; then starts a new phase. */
  takePeak(): number {
    this.sample();
    const peak = this.peak;
    this.peak = process.memoryUsage().rss;
    return peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
