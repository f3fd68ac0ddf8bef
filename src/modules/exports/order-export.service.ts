import { eq } from "drizzle-orm";
import { requireActor, tenantScope, type RequestContext } from "../../graphql/context.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { findJob, insertJobOnce } from "../jobs/job.repository.js";
import type { JobRow } from "../jobs/job.tables.js";
import { isValidRequestId } from "../orders/request-id.js";
import { serializeOrderQuery, toOrderQuery } from "../orders/order-query.js";
import type { OrderFilter } from "../orders/order.inputs.js";
import { countOrders, DEFAULT_ORDER_SORT, type OrderSort } from "../orders/order.repository.js";
import { tenants } from "../tenants/tenant.table.js";
import { signDownloadPath } from "./download-link.js";
import type { ExportFormat } from "./export-writers.js";
import { OrderExport } from "./order-export.type.js";

export const ORDER_EXPORT_JOB_KIND = "order-export";

export interface ExportOrdersInputValues {
  filter?: OrderFilter | null;
  sort?: OrderSort | null;
  format: ExportFormat;
  requestId: string;
}

/** Payload of an export job: everything needed to write the file without the request. */
export interface OrderExportPayload {
  format: ExportFormat;
  query: Record<string, unknown>;
  sort: OrderSort;
  locale: string;
  timeZone: string;
  requestedBy: string;
}

/**
 * Queue a background export of the orders matching the filter. The same requestId returns the export
 * already queued; progress is published on JOB_PROGRESS and the file is downloaded through a signed link.
 */
export async function startOrderExport(ctx: RequestContext, input: ExportOrdersInputValues): Promise<{ export: OrderExport | null; userErrors: UserError[] }> {
  const actor = requireActor(ctx);
  if (!isValidRequestId(input.requestId)) {
    return { export: null, userErrors: [userError(ctx, "INVALID_REQUEST_ID", "order.invalidRequestId", { field: "requestId", value: input.requestId }, ["requestId"])] };
  }

  const scope = tenantScope(ctx);
  const query = toOrderQuery(input.filter ?? {});
  const payload: OrderExportPayload = {
    format: input.format,
    query: serializeOrderQuery(query),
    sort: { field: input.sort?.field ?? DEFAULT_ORDER_SORT.field, direction: input.sort?.direction ?? DEFAULT_ORDER_SORT.direction },
    locale: ctx.locale,
    timeZone: await tenantTimeZone(ctx, scope),
    requestedBy: actor.subject,
  };

  const totalItems = await countOrders(scope, query);
  const { job, created } = await insertJobOnce(scope, { kind: ORDER_EXPORT_JOB_KIND, idempotencyKey: input.requestId, payload: { ...payload }, totalItems });
  if (!created && !sameRequest(job.payload as unknown as OrderExportPayload, payload)) {
    return { export: null, userErrors: [userError(ctx, "REQUEST_ID_REUSED", "export.requestIdReused", { requestId: input.requestId }, ["requestId"])] };
  }

  if (created) {
    ctx.logger.info({ module: "exports", jobId: job.id, format: input.format, totalItems }, "order export queued");
    ctx.services.jobs.wake();
  }
  return { export: toOrderExport(ctx, job), userErrors: [] };
}

export async function getOrderExport(ctx: RequestContext, globalId: string): Promise<OrderExport | null> {
  const job = await findJob(tenantScope(ctx), parseGlobalId("OrderExport", globalId));
  return job?.kind === ORDER_EXPORT_JOB_KIND ? toOrderExport(ctx, job) : null;
}

/** Convert an export job to its API type, with a freshly signed download link once the file is ready. */
export function toOrderExport(ctx: RequestContext, job: JobRow): OrderExport {
  if (job.status !== "SUCCEEDED") return OrderExport.fromRow(job, null);
  const signed = signDownloadPath(ctx.services.secretsKey, job.tenantId, job.id, ctx.services.now());
  return OrderExport.fromRow(job, { url: `${ctx.services.publicBaseUrl()}${signed.path}`, expiresAt: signed.expiresAt });
}

function sameRequest(stored: OrderExportPayload, requested: OrderExportPayload): boolean {
  return stored.format === requested.format && JSON.stringify([stored.query, stored.sort]) === JSON.stringify([requested.query, requested.sort]);
}

/** Read the time zone that export files show times in: the tenant's own, else DEFAULT_TIME_ZONE. */
async function tenantTimeZone(ctx: RequestContext, scope: TenantScope): Promise<string> {
  const [row] = await scope.db.select({ timeZone: tenants.timeZone }).from(tenants).where(eq(tenants.id, scope.tenantId));
  const zone = row?.timeZone;
  if (zone && isKnownTimeZone(zone)) return zone;
  return ctx.services.config.defaultTimeZone;
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
