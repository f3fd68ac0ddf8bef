import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Locale } from "../../i18n/locale.js";
import { publishJobProgress } from "../../realtime/job-progress.js";
import { findCampaignsByIds } from "../campaigns/campaign.repository.js";
import { findCustomersByIds } from "../customers/customer.repository.js";
import type { JobHandler } from "../jobs/job-runner.js";
import { jobs, type JobRow } from "../jobs/job.tables.js";
import { deserializeOrderQuery } from "../orders/order-query.js";
import { listOrderRows, orderCursorOf } from "../orders/order.repository.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import { csvWriter, xlsxWriter, type ExportWriter } from "./export-writers.js";
import { exportCells, exportHeader, timeFormatter, type RelatedRows } from "./order-export.columns.js";
import type { OrderExportPayload } from "./order-export.service.js";
import type { OrderExportResult } from "./order-export.type.js";

/** Orders read per query: large enough to keep queries few, small enough to keep memory flat. */
const BATCH_SIZE = 1000;

/** Folder of finished export files. */
export function exportDirectory(dataDir: string): string {
  return path.resolve(dataDir, "exports");
}

export function exportFileName(job: Pick<JobRow, "id">, format: OrderExportPayload["format"]): string {
  return `${job.id}.${format === "CSV" ? "csv" : "xlsx"}`;
}

/**
 * Write the orders an export requests to DATA_DIR/exports, a batch at a time by keyset paging in the
 * export's sort order, so memory stays flat however many orders there are. The file is written under a
 * temporary name and renamed when complete, with its row count and SHA-256 as the job's result. A job
 * interrupted by shutdown starts its file again when resumed.
 */
export const runOrderExport: JobHandler = async (job, runtime) => {
  const payload = job.payload as unknown as OrderExportPayload;
  const directory = exportDirectory(runtime.services.config.dataDir);
  await mkdir(directory, { recursive: true });
  const finalPath = path.join(directory, exportFileName(job, payload.format));
  const partialPath = `${finalPath}.${randomUUID()}.partial`;

  const file = createWriteStream(partialPath);
  const writer = payload.format === "CSV" ? csvWriter(file) : xlsxWriter(file, "Orders");
  try {
    const rowCount = await writeRows({
      scope: runtime.scope,
      payload,
      writer,
      isStopping: runtime.isStopping,
      onProgress: (processed) => reportProgress(runtime, job, processed),
    });
    if (rowCount === undefined) {
      file.destroy();
      await rm(partialPath, { force: true });
      return { status: "INTERRUPTED" };
    }
    await writer.finish();

    const sha256 = await hashFile(partialPath);
    const { size } = await stat(partialPath);
    await rename(partialPath, finalPath);
    await reportProgress(runtime, job, rowCount, "SUCCEEDED");

    const result: OrderExportResult = { fileName: path.basename(finalPath), format: payload.format, rowCount, sha256, bytes: size };
    return { status: "SUCCEEDED", result: { ...result } };
  } catch (error) {
    file.destroy();
    await rm(partialPath, { force: true });
    throw error;
  }
};

/** Write the header and every matching order; returns the row count, or undefined when stopping. */
async function writeRows(input: {
  scope: TenantScope;
  payload: OrderExportPayload;
  writer: ExportWriter;
  isStopping: () => boolean;
  onProgress: (processed: number) => Promise<void>;
}): Promise<number | undefined> {
  const { scope, payload, writer, isStopping, onProgress } = input;
  const query = deserializeOrderQuery(payload.query);
  const formatTime = timeFormatter(payload.timeZone);
  await writer.writeRow(exportHeader(payload.locale as Locale, payload.timeZone));

  let after: Cursor | undefined;
  let rowCount = 0;
  for (;;) {
    if (isStopping()) return undefined;

    const rows = await listOrderRows(scope, query, payload.sort, after, BATCH_SIZE);
    const related = await loadRelated(scope, rows);
    for (const row of rows) await writer.writeRow(exportCells(row, related, formatTime));

    rowCount += rows.length;
    if (rows.length > 0) await onProgress(rowCount);
    if (rows.length < BATCH_SIZE) return rowCount;
    after = orderCursorOf(rows.at(-1)!, payload.sort);
  }
}

async function loadRelated(scope: TenantScope, rows: { customerId: string; campaignId: string | null }[]): Promise<RelatedRows> {
  const customerIds = [...new Set(rows.map((row) => row.customerId))];
  const campaignIds = [...new Set(rows.flatMap((row) => (row.campaignId ? [row.campaignId] : [])))];
  const [customers, campaigns] = await Promise.all([findCustomersByIds(scope, customerIds), findCampaignsByIds(scope, campaignIds)]);
  return {
    customers: new Map(customers.map((row) => [row.id, row])),
    campaigns: new Map(campaigns.map((row) => [row.id, row])),
  };
}

/** Store the processed count on the job and publish it to jobProgress subscribers. */
async function reportProgress(runtime: Parameters<JobHandler>[1], job: JobRow, processed: number, status = "RUNNING"): Promise<void> {
  await runtime.scope.db.update(jobs).set({ processedItems: processed, updatedAt: new Date() }).where(eq(jobs.id, job.id));
  publishJobProgress(runtime.services, { tenantId: job.tenantId, jobId: job.id, processed, total: Math.max(job.totalItems, processed), status });
}

async function hashFile(filePath: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
