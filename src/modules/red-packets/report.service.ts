import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { countQuotaWarnings, listQuotaWarnings, warningPayload } from "./quota-warnings.js";
import { countMismatches, listMismatches, listRuns } from "./reconciliation.repository.js";
import type { RedPacketQuotaWarningRow, RedPacketReconciliationMismatchRow } from "./red-packet.tables.js";
import { RedPacketQuotaWarning, RedPacketReconciliationMismatch, RedPacketReconciliationRun } from "./report.type.js";

export async function searchQuotaWarnings(
  ctx: RequestContext,
  redPacketGlobalId: string | null,
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const scope = tenantScope(ctx);
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : undefined;
  const query = { redPacketId: redPacketGlobalId ? parseGlobalId("RedPacket", redPacketGlobalId, "redPacketId") : null };
  const [rows, total] = await Promise.all([listQuotaWarnings(scope, query, cursor, size + 1), countQuotaWarnings(scope, query)]);
  return toConnection(
    rows,
    size,
    total,
    cursor !== undefined,
    (row: RedPacketQuotaWarningRow) => ({ key: row.createdAt.toISOString(), id: row.id }),
    (row: RedPacketQuotaWarningRow) => RedPacketQuotaWarning.fromPayload(warningPayload(row)),
  );
}

export async function latestReconciliationRuns(ctx: RequestContext, first: number | null | undefined): Promise<RedPacketReconciliationRun[]> {
  const rows = await listRuns(tenantScope(ctx), pageSize(first));
  return rows.map(RedPacketReconciliationRun.fromRow);
}

export async function searchMismatches(
  ctx: RequestContext,
  filter: { runId?: string | null; redPacketId?: string | null },
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const scope = tenantScope(ctx);
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : undefined;
  const query = {
    runId: filter.runId ? parseGlobalId("RedPacketReconciliationRun", filter.runId, "runId") : null,
    redPacketId: filter.redPacketId ? parseGlobalId("RedPacket", filter.redPacketId, "redPacketId") : null,
  };
  const [rows, total] = await Promise.all([listMismatches(scope, query, cursor, size + 1), countMismatches(scope, query)]);
  return toConnection(
    rows,
    size,
    total,
    cursor !== undefined,
    (row: RedPacketReconciliationMismatchRow) => ({ key: row.createdAt.toISOString(), id: row.id }),
    RedPacketReconciliationMismatch.fromRow,
  );
}
