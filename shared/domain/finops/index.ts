/** FinOps import core: pure and streaming (no AWS SDK here; the pipeline around it does the I/O). */
export { type DailyCost, DailyCostAggregator, type DailyCostKey } from "./aggregate";
export {
  type ConsumptionItem,
  type ConsumptionRow,
  canonicalFieldName,
  isRowProblem,
  normaliseRecord,
  type RowProblem,
} from "./consumption";
export * from "./decimal";
export { UnreadableBillingFile } from "./errors";
export {
  FOCUS_COLUMNS,
  FOCUS_MANDATORY_COLUMNS,
  type FocusContext,
  type FocusRecord,
  toFocusRecord,
} from "./focus";
export {
  FOCUS_CSV_HEADER,
  FOCUS_GZIP_LEVEL,
  FocusCsvLines,
  type FocusCsvTarget,
  FocusCsvText,
  FocusCsvWriter,
  focusCsvLine,
  focusCsvStream,
} from "./focus-csv";
export {
  type ByteSource,
  type ParseBillingOptions,
  parseBillingBatches,
  parseBillingObject,
  parseCsvRecords,
} from "./parse";
