import { and, count, desc, eq, lt, or } from "drizzle-orm";
import type { AppServices } from "../../app/services.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { crossedThresholds, type QuotaUsage } from "./quota.js";
import { redPacketQuotaWarnings, type RedPacketQuotaWarningRow, type RedPacketRow } from "./red-packet.tables.js";
import { limitsOf } from "./red-packet.type.js";

export const QUOTA_WARNING_TOPIC = "RED_PACKET_QUOTA_WARNING";

/** Payload of RED_PACKET_QUOTA_WARNING, keyed by tenant id: plain JSON, so it can cross instances. */
export interface QuotaWarningPayload {
  tenantId: string;
  warningId: string;
  redPacketId: string;
  limitKind: RedPacketQuotaWarningRow["limitKind"];
  day: string | null;
  thresholdPercent: number;
  used: number;
  limit: number;
  createdAt: string;
}

/**
 * Store a warning for each limit this reservation pushed across the red packet's threshold. Runs in the
 * reservation's transaction, under the red packet's row lock, so each crossing is recorded by exactly
 * one reservation.
 */
export async function recordQuotaWarnings(
  tx: TenantScope,
  input: { packet: RedPacketRow; before: QuotaUsage; after: QuotaUsage; day: string; grantId: string; now: Date },
): Promise<RedPacketQuotaWarningRow[]> {
  const crossings = crossedThresholds(limitsOf(input.packet), input.before, input.after, input.packet.warningThresholdPercent);
  if (crossings.length === 0) return [];

  return tx.db
    .insert(redPacketQuotaWarnings)
    .values(
      crossings.map((crossing) =>
        tx.row({
          redPacketId: input.packet.id,
          limitKind: crossing.kind,
          day: crossing.kind.startsWith("DAILY") ? input.day : null,
          thresholdPercent: input.packet.warningThresholdPercent!,
          used: crossing.used,
          limit: crossing.limit,
          grantId: input.grantId,
          createdAt: input.now,
        }),
      ),
    )
    .returning();
}

export function warningPayload(warning: RedPacketQuotaWarningRow): QuotaWarningPayload {
  return {
    tenantId: warning.tenantId,
    warningId: warning.id,
    redPacketId: warning.redPacketId,
    limitKind: warning.limitKind,
    day: warning.day,
    thresholdPercent: warning.thresholdPercent,
    used: warning.used,
    limit: warning.limit,
    createdAt: warning.createdAt.toISOString(),
  };
}

/** Tell subscribers about new warnings; call after the transaction that stored them has committed. */
export function publishQuotaWarnings(services: AppServices, warnings: RedPacketQuotaWarningRow[]): void {
  for (const warning of warnings) {
    const payload = warningPayload(warning);
    services.logger.info({ module: "red-packets", ...payload }, "red packet quota warning");
    services.pubsub.publish(QUOTA_WARNING_TOPIC, warning.tenantId, payload);
  }
}

/** One page of warnings, newest first; `limit` should be the page size plus one. */
export async function listQuotaWarnings(
  tx: TenantScope,
  query: { redPacketId?: string | null },
  after: Cursor | undefined,
  limit: number,
): Promise<RedPacketQuotaWarningRow[]> {
  const table = redPacketQuotaWarnings;
  const afterCondition = after
    ? or(lt(table.createdAt, new Date(after.key)), and(eq(table.createdAt, new Date(after.key)), lt(table.id, after.id)))
    : undefined;
  return tx.db
    .select()
    .from(table)
    .where(tx.where(table, query.redPacketId ? eq(table.redPacketId, query.redPacketId) : undefined, afterCondition))
    .orderBy(desc(table.createdAt), desc(table.id))
    .limit(limit);
}

export async function countQuotaWarnings(tx: TenantScope, query: { redPacketId?: string | null }): Promise<number> {
  const table = redPacketQuotaWarnings;
  const [row] = await tx.db
    .select({ total: count() })
    .from(table)
    .where(tx.where(table, query.redPacketId ? eq(table.redPacketId, query.redPacketId) : undefined));
  return row?.total ?? 0;
}
