/**
 * The local stand-in for SQS: messages run in this process with bounded concurrency, each
 * retried a few times like a queue's redelivery, then dropped to a dead-letter list.
 */
export class InProcessQueue<Message> {
  private readonly pending: Message[] = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];
  readonly deadLetters: Array<{ message: Message; error: string }> = [];
  handler?: (message: Message) => Promise<void>;

  constructor(
    private readonly concurrency = 4,
    private readonly maxReceives = 3,
  ) {}

  async send(messages: Message[]): Promise<void> {
    // Without a worker wired in, queued work would vanish: refuse it instead (a missing queue URL).
    if (!this.handler) throw new Error("no worker runs this queue in this process: set its queue URL");
    this.pending.push(...messages);
    this.pump();
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.pending.length > 0) {
      const message = this.pending.shift()!;
      this.running++;
      void this.deliver(message).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.pending.length === 0) {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
      });
    }
  }

  private async deliver(message: Message): Promise<void> {
    for (let receive = 1; ; receive++) {
      try {
        await this.handler!(message);
        return;
      } catch (error) {
        if (receive >= this.maxReceives) {
          this.deadLetters.push({ message, error: error instanceof Error ? error.message : String(error) });
          return;
        }
      }
    }
  }
}
