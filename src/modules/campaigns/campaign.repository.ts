import { and, count, desc, eq, ilike, inArray, lt, or, type SQL } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import { campaigns, type CampaignRow, type CampaignStatus } from "./campaign.table.js";

export interface CampaignQuery {
  search?: string | null;
  status?: CampaignStatus[] | null;
}

function filterConditions(query: CampaignQuery): (SQL | undefined)[] {
  return [
    query.search ? ilike(campaigns.name, `%${escapeLike(query.search)}%`) : undefined,
    query.status?.length ? inArray(campaigns.status, query.status) : undefined,
  ];
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export async function findCampaignById(scope: TenantScope, id: string): Promise<CampaignRow | undefined> {
  const [row] = await scope.db.select().from(campaigns).where(scope.where(campaigns, eq(campaigns.id, id)));
  return row;
}

export async function findCampaignByExternalId(scope: TenantScope, externalId: string): Promise<CampaignRow | undefined> {
  const [row] = await scope.db.select().from(campaigns).where(scope.where(campaigns, eq(campaigns.externalId, externalId)));
  return row;
}

export async function findCampaignsByIds(scope: TenantScope, ids: readonly string[]): Promise<CampaignRow[]> {
  if (ids.length === 0) return [];
  return scope.db
    .select()
    .from(campaigns)
    .where(scope.where(campaigns, inArray(campaigns.id, [...ids])));
}

/** One page, newest first; `limit` should be the page size plus one. */
export async function listCampaigns(
  scope: TenantScope,
  query: CampaignQuery,
  after: Cursor | undefined,
  limit: number,
): Promise<CampaignRow[]> {
  const afterCondition = after
    ? or(
        lt(campaigns.createdAt, new Date(after.key)),
        and(eq(campaigns.createdAt, new Date(after.key)), lt(campaigns.id, after.id)),
      )
    : undefined;

  return scope.db
    .select()
    .from(campaigns)
    .where(scope.where(campaigns, ...filterConditions(query), afterCondition))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(limit);
}

export async function countCampaigns(scope: TenantScope, query: CampaignQuery): Promise<number> {
  const [row] = await scope.db
    .select({ total: count() })
    .from(campaigns)
    .where(scope.where(campaigns, ...filterConditions(query)));
  return row?.total ?? 0;
}

export async function insertCampaign(
  scope: TenantScope,
  values: Omit<typeof campaigns.$inferInsert, "tenantId" | "id">,
): Promise<CampaignRow> {
  const [row] = await scope.db.insert(campaigns).values(scope.row(values)).returning();
  return row!;
}

export async function updateCampaignRow(
  scope: TenantScope,
  id: string,
  changes: Partial<Omit<typeof campaigns.$inferInsert, "tenantId" | "id">>,
): Promise<CampaignRow | undefined> {
  const [row] = await scope.db
    .update(campaigns)
    .set({ ...changes, updatedAt: new Date() })
    .where(scope.where(campaigns, eq(campaigns.id, id)))
    .returning();
  return row;
}
