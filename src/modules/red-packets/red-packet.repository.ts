import { and, count, desc, eq, ilike, inArray, lt, or, type SQL } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import { escapeLike } from "../campaigns/campaign.repository.js";
import { tenants } from "../tenants/tenant.table.js";
import {
  redPacketDailyCounters,
  redPackets,
  type RedPacketDailyCounterRow,
  type RedPacketRow,
  type RedPacketStatus,
} from "./red-packet.tables.js";

export interface RedPacketQuery {
  search?: string | null;
  campaignId?: string | null;
  merchantAccountId?: string | null;
  status?: RedPacketStatus[] | null;
}

type RedPacketValues = Omit<typeof redPackets.$inferInsert, "tenantId" | "id">;

function filterConditions(query: RedPacketQuery): (SQL | undefined)[] {
  const statuses = query.status?.length ? query.status : (["ACTIVE"] as RedPacketStatus[]);
  return [
    query.search ? ilike(redPackets.name, `%${escapeLike(query.search)}%`) : undefined,
    query.campaignId ? eq(redPackets.campaignId, query.campaignId) : undefined,
    query.merchantAccountId ? eq(redPackets.merchantAccountId, query.merchantAccountId) : undefined,
    inArray(redPackets.status, statuses),
  ];
}

export async function findRedPacketById(scope: TenantScope, id: string): Promise<RedPacketRow | undefined> {
  const [row] = await scope.db.select().from(redPackets).where(scope.where(redPackets, eq(redPackets.id, id)));
  return row;
}

/** Read the row and lock it until the transaction ends; reservations and settlements of the red packet wait meanwhile. */
export async function lockRedPacket(scope: TenantScope, id: string): Promise<RedPacketRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(redPackets)
    .where(scope.where(redPackets, eq(redPackets.id, id)))
    .for("update");
  return row;
}

export async function findRedPacketsByCampaign(scope: TenantScope, campaignId: string): Promise<RedPacketRow[]> {
  return scope.db
    .select()
    .from(redPackets)
    .where(scope.where(redPackets, eq(redPackets.campaignId, campaignId)))
    .orderBy(desc(redPackets.createdAt), desc(redPackets.id));
}

/** One page, newest first; `limit` should be the page size plus one. */
export async function listRedPackets(
  scope: TenantScope,
  query: RedPacketQuery,
  after: Cursor | undefined,
  limit: number,
): Promise<RedPacketRow[]> {
  const afterCondition = after
    ? or(
        lt(redPackets.createdAt, new Date(after.key)),
        and(eq(redPackets.createdAt, new Date(after.key)), lt(redPackets.id, after.id)),
      )
    : undefined;

  return scope.db
    .select()
    .from(redPackets)
    .where(scope.where(redPackets, ...filterConditions(query), afterCondition))
    .orderBy(desc(redPackets.createdAt), desc(redPackets.id))
    .limit(limit);
}

export async function countRedPackets(scope: TenantScope, query: RedPacketQuery): Promise<number> {
  const [row] = await scope.db
    .select({ total: count() })
    .from(redPackets)
    .where(scope.where(redPackets, ...filterConditions(query)));
  return row?.total ?? 0;
}

export async function insertRedPacket(scope: TenantScope, values: RedPacketValues): Promise<RedPacketRow> {
  const [row] = await scope.db.insert(redPackets).values(scope.row(values)).returning();
  return row!;
}

export async function updateRedPacketRow(
  scope: TenantScope,
  id: string,
  changes: Partial<RedPacketValues>,
): Promise<RedPacketRow | undefined> {
  const [row] = await scope.db
    .update(redPackets)
    .set({ ...changes, updatedAt: new Date() })
    .where(scope.where(redPackets, eq(redPackets.id, id)))
    .returning();
  return row;
}

/** Daily counter rows of several red packets on one local day, keyed by red packet id. */
export async function findDailyCounters(
  scope: TenantScope,
  redPacketIds: readonly string[],
  day: string,
): Promise<Map<string, RedPacketDailyCounterRow>> {
  if (redPacketIds.length === 0) return new Map();
  const rows = await scope.db
    .select()
    .from(redPacketDailyCounters)
    .where(
      scope.where(
        redPacketDailyCounters,
        inArray(redPacketDailyCounters.redPacketId, [...redPacketIds]),
        eq(redPacketDailyCounters.day, day),
      ),
    );
  return new Map(rows.map((row) => [row.redPacketId, row]));
}

/** Return the tenant's own time zone, or undefined when it has none (then the server default applies). */
export async function findTenantZone(scope: TenantScope): Promise<string | undefined> {
  const [row] = await scope.db.select({ timeZone: tenants.timeZone }).from(tenants).where(eq(tenants.id, scope.tenantId));
  return row?.timeZone ?? undefined;
}
