import { Stack } from "aws-cdk-lib";
import { CfnDatabase, CfnTable } from "aws-cdk-lib/aws-glue";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { FOCUS_COLUMNS } from "../../shared/domain/finops/focus";

export interface FocusCostsCatalogProps {
  /** The bucket the billing-import worker writes FOCUS files to, under `keyPrefix`. */
  readonly bucket: IBucket;
  /** @default "finops/" */
  readonly keyPrefix?: string;
}

/**
 * FocusCostsCatalog: the Glue Data Catalog entries that let Athena query the FOCUS cost files
 * the billing-import worker writes (`<prefix>tenant=<tenant>/billing_month=<yyyy-MM>/...csv.gz`).
 *
 * Defaults:
 * - Database `credential_vault`, external table `focus_costs` over `s3://<bucket>/finops/`.
 * - CSV through OpenCSVSerde (quoted fields, `,` separator), first line skipped as the header;
 *   gzip files are read transparently (by extension).
 * - Columns: `FOCUS_COLUMNS` (shared/domain/finops/focus.ts), the order the worker writes them in, lower-cased (Athena lower-cases every
 *   column name anyway), all `string`: OpenCSVSerde reads typed columns badly (an empty field
 *   in a numeric column is an error, FOCUS's ISO 8601 timestamps are not its TIMESTAMP format,
 *   and DOUBLE would round costs), so costs stay decimal text and queries cast them, e.g.
 *   `CAST(billedcost AS DECIMAL(38, 10))`, `from_iso8601_timestamp(chargeperiodstart)`.
 * - Partitions `tenant` and `billing_month` (strings) by partition projection, no crawler and
 *   no `MSCK REPAIR`: `tenant` is injected (every query must name its tenant in `WHERE`),
 *   `billing_month` is a `yyyy-MM` date from 2020-01 to the current month, one month apart.
 * - The names are fixed (Glue names cannot hold the stack's name in a readable way): one
 *   stack per account and region.
 */
export class FocusCostsCatalog extends Construct {
  static readonly DATABASE_NAME = "credential_vault";
  static readonly TABLE_NAME = "focus_costs";

  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly databaseName = FocusCostsCatalog.DATABASE_NAME;
  readonly tableName = FocusCostsCatalog.TABLE_NAME;

  constructor(scope: Construct, id: string, props: FocusCostsCatalogProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    const root = `s3://${props.bucket.bucketName}/${props.keyPrefix ?? "finops/"}`;

    this.database = new CfnDatabase(this, "Database", {
      catalogId,
      databaseInput: {
        name: this.databaseName,
        description: "Credential vault: FOCUS cost data imported from cloud billing exports",
      },
    });

    this.table = new CfnTable(this, "Table", {
      catalogId,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        description: "FOCUS 1.2 cost rows, one CSV (gzip) file per imported billing object",
        tableType: "EXTERNAL_TABLE",
        parameters: {
          EXTERNAL: "TRUE",
          classification: "csv",
          "skip.header.line.count": "1",
          "projection.enabled": "true",
          "projection.tenant.type": "injected",
          "projection.billing_month.type": "date",
          "projection.billing_month.format": "yyyy-MM",
          "projection.billing_month.range": "2020-01,NOW",
          "projection.billing_month.interval": "1",
          "projection.billing_month.interval.unit": "MONTHS",
          "storage.location.template": `${root}tenant=\${tenant}/billing_month=\${billing_month}/`,
        },
        partitionKeys: [
          { name: "tenant", type: "string" },
          { name: "billing_month", type: "string" },
        ],
        storageDescriptor: {
          location: root,
          inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
          outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
          serdeInfo: {
            serializationLibrary: "org.apache.hadoop.hive.serde2.OpenCSVSerde",
            parameters: { separatorChar: ",", quoteChar: '"', escapeChar: "\\" },
          },
          columns: FOCUS_COLUMNS.map((name) => ({ name: name.toLowerCase(), type: "string" })),
        },
      },
    });
    this.table.addResourceDependency(this.database);
  }
}
