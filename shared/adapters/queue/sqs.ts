import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** Work messages on SQS as JSON, ten per batch call; a partly failed batch is an error (the caller retries). */
export class SqsQueue<Message> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const batch = messages.slice(start, start + 10);
      const reply = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(message),
          })),
        }),
      );
      if (reply.Failed?.length) {
        throw new Error(
          `SQS refused ${reply.Failed.length} import message(s): ${reply.Failed[0]?.Code ?? "unknown"}`,
        );
      }
    }
  }
}
