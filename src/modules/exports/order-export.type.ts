import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import { Node } from "../../graphql/relay/node.js";
import { jobStatuses, type JobRow, type JobStatus } from "../jobs/job.tables.js";
import { exportFormats, type ExportFormat } from "./export-writers.js";

export const ExportFormatEnum = Object.fromEntries(exportFormats.map((format) => [format, format])) as { [K in ExportFormat]: K };
registerEnumType(ExportFormatEnum, { name: "ExportFormat", description: "CSV (UTF-8 with a byte order mark) or XLSX." });

export const ExportStatusEnum = Object.fromEntries(jobStatuses.map((status) => [status, status])) as { [K in JobStatus]: K };
registerEnumType(ExportStatusEnum, { name: "ExportStatus", description: "Status of a background export job." });

/** Result an export job stores once the file is complete. */
export interface OrderExportResult {
  fileName: string;
  format: ExportFormat;
  rowCount: number;
  sha256: string;
  bytes: number;
}

@ObjectType({ implements: Node, description: "A file of orders written in the background; download it once it SUCCEEDED." })
export class OrderExport extends Node {
  readonly __typename = "OrderExport";
  rowId!: string;

  @Field(() => ID, { description: "Global id of the background job, for the jobProgress subscription." })
  jobId!: string;

  @Field(() => ExportStatusEnum)
  status!: JobStatus;

  @Field(() => ExportFormatEnum)
  format!: ExportFormat;

  @Field(() => Int, { description: "Orders that matched the filter when the export was requested." })
  totalRows!: number;

  @Field(() => Int)
  processedRows!: number;

  @Field(() => Int, { nullable: true, description: "Data rows in the file (the header row not counted)." })
  rowCount!: number | null;

  @Field(() => String, { nullable: true, description: "SHA-256 of the file's bytes, in hex." })
  sha256!: string | null;

  @Field(() => Int, { nullable: true, description: "Size of the file in bytes." })
  bytes!: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Signed link to the file; it expires at downloadUrlExpiresAt and needs a bearer token of the same tenant.",
  })
  downloadUrl!: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  downloadUrlExpiresAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why the export failed." })
  error!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  finishedAt!: Date | null;

  static fromRow(row: JobRow, link: { url: string; expiresAt: Date } | null): OrderExport {
    const result = row.status === "SUCCEEDED" ? (row.result as unknown as OrderExportResult | null) : null;
    return Object.assign(new OrderExport(), {
      id: toGlobalId("OrderExport", row.id),
      rowId: row.id,
      jobId: toGlobalId("Job", row.id),
      status: row.status,
      format: (row.payload["format"] as ExportFormat | undefined) ?? "CSV",
      totalRows: row.totalItems,
      processedRows: row.processedItems,
      rowCount: result?.rowCount ?? null,
      sha256: result?.sha256 ?? null,
      bytes: result?.bytes ?? null,
      downloadUrl: link?.url ?? null,
      downloadUrlExpiresAt: link?.expiresAt ?? null,
      error: row.status === "FAILED" ? row.lastError : null,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
    });
  }
}

@ObjectType({ description: "Progress of an order export." })
export class OrderExportProgress {
  @Field(() => String, { description: "Global id of the export." })
  exportId!: string;

  @Field(() => ExportStatusEnum)
  status!: JobStatus;

  @Field(() => Int)
  processedRows!: number;

  @Field(() => Int)
  totalRows!: number;
}
