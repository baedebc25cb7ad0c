import type { Readable } from "node:stream";
import { DailyCostAggregator } from "../finops/aggregate";
import { isRowProblem } from "../finops/consumption";
import { formatDecimal } from "../finops/decimal";
import { UnreadableBillingFile } from "../finops/errors";
import { FocusCsvWriter } from "../finops/focus-csv";
import { parseBillingBatches } from "../finops/parse";
import { type ProcessedObject, type ProcessObject, UnreadableFile } from "./imports";
import type { CostGroup } from "./model";

const SAMPLE_ROW_ERRORS = 10;

/**
 * One billing object, streamed once: every row is normalised, written to its month's FOCUS file and
 * added to the daily aggregates; malformed rows are counted (with a sample of line numbers) and
 * skipped. Memory holds the aggregates and one open file per month, never the object.
 */
export const processBillingObject: ProcessObject = async (body: Readable, object, context) => {
  const aggregator = new DailyCostAggregator();
  const files = new Map<string, FocusCsvWriter>();
  let rows = 0;
  let rowErrors = 0;
  const sampleRowErrors: ProcessedObject["sampleRowErrors"] = [];
  const writerOf = (month: string): FocusCsvWriter => {
    let writer = files.get(month);
    if (writer === undefined) {
      const file = context.open({ ...context.location, month, credentialId: context.credentialId });
      writer = new FocusCsvWriter(file, { credentialId: context.credentialId });
      files.set(month, writer);
    }
    return writer;
  };
  let lastFromDate: string | undefined;
  let writer: FocusCsvWriter | undefined;
  try {
    // Rows come in batches (~1,000) and FOCUS lines leave in ~1 MiB chunks: no promise per row
    // on the hot path.
    for await (const batch of parseBillingBatches(body, { key: object.key })) {
      for (const item of batch) {
        if (isRowProblem(item)) {
          rowErrors++;
          if (sampleRowErrors.length < SAMPLE_ROW_ERRORS)
            sampleRowErrors.push({ line: item.line, message: item.message });
          continue;
        }
        rows++;
        aggregator.add(item);
        // FromDates come from the date cache: a repeated one is the same string, so the month's
        // writer is looked up only when the date changes.
        if (item.fromDate !== lastFromDate) {
          lastFromDate = item.fromDate;
          writer = writerOf(item.fromDate.slice(0, 7));
        }
        if (writer!.add(item)) await writer!.flush();
      }
    }
    for (const writer of files.values()) await writer.end();
  } catch (error) {
    if (error instanceof UnreadableBillingFile) throw new UnreadableFile(error.message);
    throw error;
  }
  const groups: CostGroup[] = aggregator.entries().map((entry) => ({
    day: entry.chargeDay,
    currency: entry.currency,
    service: entry.service,
    category: entry.category,
    region: entry.regionId ?? "",
    account: entry.accountId,
    resource: entry.resourceId ?? "",
    // No Price on any row of the group: no cost, rather than a zero that looks measured.
    cost: entry.rowsWithoutPrice === entry.rowCount ? null : formatDecimal(entry.cost),
    quantity: formatDecimal(entry.quantity),
  }));
  return { groups, rows, rowErrors, sampleRowErrors, months: [...files.keys()].sort() };
};
