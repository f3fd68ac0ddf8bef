import type { SQL } from "drizzle-orm";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import {
  countCustomerEvents,
  eventCursor,
  listCustomerEvents,
  parseEventCursor,
} from "./customer-event.repository.js";
import type { CustomerEventRow } from "./customer-event.table.js";
import { CustomerEvent } from "./customer-event.type.js";
import { CSV_BOM, csvLine } from "./csv.js";
import { compileEventFilter, type EventFilter } from "./event-filter.js";
import type { CustomerEventFilter, CustomerEventOrder } from "./event-filter.inputs.js";
import { parseEventFilter } from "./event-filter.parse.js";
import { checkQueryCost, type TimeWindow } from "./query-cost.js";

/** A filter checked against the input rules and the cost limit, ready to run. */
export interface PreparedFilter {
  filter: EventFilter;
  where: SQL;
  window: TimeWindow;
}

/**
 * Parse, price and compile a filter argument in one step, so no query runs without the cost check.
 * `now` fixes relative windows for the whole request.
 */
export function prepareEventFilter(
  input: CustomerEventFilter | null | undefined,
  path: string,
  now: Date,
  extra: EventFilter[] = [],
): PreparedFilter {
  const parsed = parseEventFilter(input, path);
  const filter: EventFilter = extra.length === 0 ? parsed : { kind: "and", filters: [parsed, ...extra] };
  const window = checkQueryCost(filter, now, path);
  return { filter, where: compileEventFilter(filter, now), window };
}

export interface CustomerEventSearch {
  filter: CustomerEventFilter | null | undefined;
  orderBy: CustomerEventOrder | null | undefined;
  first: number | null | undefined;
  after: string | null | undefined;
}

export async function searchCustomerEvents(ctx: RequestContext, search: CustomerEventSearch) {
  const scope = tenantScope(ctx);
  const size = pageSize(search.first);
  const order = search.orderBy ?? "OCCURRED_AT_DESC";
  const after = search.after ? parseAfter(order, search.after) : undefined;
  const { where } = prepareEventFilter(search.filter, "filter", ctx.services.now());

  const [rows, total] = await Promise.all([
    listCustomerEvents(scope, { where, order, after, limit: size + 1 }),
    countCustomerEvents(scope, where),
  ]);

  return toConnection(
    rows,
    size,
    total,
    after !== undefined,
    (row: CustomerEventRow) => eventCursor(order, row),
    CustomerEvent.fromRow,
  );
}

function parseAfter(order: CustomerEventOrder, after: string) {
  const cursor = parseEventCursor(order, decodeCursor(after));
  if (!cursor) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_CURSOR", "events.cursorOrder", { cursor: after }, { field: "after" });
  }
  return cursor;
}

/** Most rows one CSV export may contain; larger exports must be split by time. */
export const MAX_EXPORT_ROWS = 50_000;
const EXPORT_BATCH_SIZE = 1_000;

const CSV_HEADER = [
  "id",
  "occurred_at",
  "type",
  "source",
  "customer_id",
  "openid",
  "mobile",
  "campaign_id",
  "merchant_account_id",
  "voucher_batch_id",
  "red_packet_id",
  "order_id",
  "product_id",
  "wechat_object_id",
  "amount_fen",
  "attributes",
];

export interface CustomerEventExport {
  csv: string;
  rowCount: number;
  fileName: string;
}

/**
 * Export the matching events as CSV: UTF-8 with a byte order mark, CRLF line endings, ids as the API
 * shows them, times in UTC ISO 8601 and amounts in fen. Throws BAD_USER_INPUT over MAX_EXPORT_ROWS.
 */
export async function exportCustomerEvents(
  ctx: RequestContext,
  input: { filter: CustomerEventFilter | null | undefined; orderBy: CustomerEventOrder | null | undefined },
): Promise<CustomerEventExport> {
  const scope = tenantScope(ctx);
  const now = ctx.services.now();
  const order = input.orderBy ?? "OCCURRED_AT_DESC";
  const { where } = prepareEventFilter(input.filter, "filter", now);

  const total = await countCustomerEvents(scope, where);
  if (total > MAX_EXPORT_ROWS) {
    throw new DomainError(
      "BAD_USER_INPUT",
      "EXPORT_TOO_LARGE",
      "events.exportTooLarge",
      { count: total, max: MAX_EXPORT_ROWS },
      { field: "filter", rowCount: total, limit: MAX_EXPORT_ROWS },
    );
  }

  // NOTE: the whole CSV is built in memory for the mutation's response. Rows of the test data set average
  // 410 bytes, so 50,000 rows make about 20 MB; a download route piping customerEventCsv would avoid that.
  const chunks: string[] = [];
  let rowCount = 0;
  for await (const chunk of customerEventCsv(scope, { where, order })) {
    chunks.push(chunk.text);
    rowCount += chunk.rows;
  }

  ctx.logger.info({ module: "events", rowCount }, "customer events exported");
  return { csv: chunks.join(""), rowCount, fileName: `customer-events-${now.toISOString().replace(/[:.]/g, "-")}.csv` };
}

/**
 * Run the export for the mutation payload. Filter and size problems the caller can fix come back as user
 * errors with the same codes the queries raise, and everything else is thrown.
 */
export async function exportCustomerEventsPayload(
  ctx: RequestContext,
  input: { filter: CustomerEventFilter | null | undefined; orderBy: CustomerEventOrder | null | undefined },
): Promise<{ csv: string | null; rowCount: number; fileName: string | null; userErrors: UserError[] }> {
  try {
    return { ...(await exportCustomerEvents(ctx, input)), userErrors: [] };
  } catch (error) {
    if (!(error instanceof DomainError) || error.category !== "BAD_USER_INPUT") throw error;
    const field = typeof error.details["field"] === "string" ? error.details["field"].split(".") : undefined;
    return {
      csv: null,
      rowCount: 0,
      fileName: null,
      userErrors: [userError(ctx, error.reason, error.messageKey, error.params, field)],
    };
  }
}

/**
 * Yield the CSV in pieces of up to EXPORT_BATCH_SIZE rows, read page by page in keyset order, so a
 * caller that can stream (a download route, a job writing a file) never keeps more than one page in memory.
 */
export async function* customerEventCsv(
  scope: TenantScope,
  query: { where: SQL; order: CustomerEventOrder; maxRows?: number },
): AsyncGenerator<{ text: string; rows: number }> {
  const maxRows = query.maxRows ?? MAX_EXPORT_ROWS;
  yield { text: CSV_BOM + csvLine(CSV_HEADER), rows: 0 };

  let after: { key: Date | number; id: string } | undefined;
  let written = 0;
  while (written < maxRows) {
    const limit = Math.min(EXPORT_BATCH_SIZE, maxRows - written);
    const rows = await listCustomerEvents(scope, { where: query.where, order: query.order, after, limit });
    if (rows.length === 0) return;

    yield { text: rows.map(csvRecord).join(""), rows: rows.length };
    written += rows.length;

    const cursor = eventCursor(query.order, rows.at(-1)!);
    after = parseEventCursor(query.order, cursor);
    if (rows.length < limit) return;
  }
}

function csvRecord(row: CustomerEventRow): string {
  const event = CustomerEvent.fromRow(row);
  return csvLine([
    event.id,
    row.occurredAt.toISOString(),
    row.type,
    row.source,
    event.customerId,
    row.openid,
    row.mobile,
    event.campaignId,
    event.merchantAccountId,
    event.voucherBatchId,
    event.redPacketId,
    event.orderId,
    event.productId,
    row.wechatObjectId,
    row.amount,
    JSON.stringify(row.attributes),
  ]);
}
