import { asc, eq } from "drizzle-orm";
import type { Executor } from "../../db/database.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { FailureNoticeChannel } from "./failure-notice.table.js";
import { noticeChannelSettings, type NoticeChannelSettingRow } from "./notice-channel.table.js";

export interface NoticeChannelSettingValues {
  channel: FailureNoticeChannel;
  endpointUrl: string;
  templateId: string | null;
  sealedSecret: string;
  secretFingerprint: string;
  enabled: boolean;
}

/** Create or replace the tenant's setting for one channel. */
export async function upsertNoticeChannelSetting(scope: TenantScope, values: NoticeChannelSettingValues): Promise<NoticeChannelSettingRow> {
  const [row] = await scope.db
    .insert(noticeChannelSettings)
    .values(scope.row(values))
    .onConflictDoUpdate({
      target: [noticeChannelSettings.tenantId, noticeChannelSettings.channel],
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

/** List the tenant's settings, one per configured channel. */
export async function listNoticeChannelSettings(scope: TenantScope): Promise<NoticeChannelSettingRow[]> {
  return scope.db
    .select()
    .from(noticeChannelSettings)
    .where(scope.where(noticeChannelSettings))
    .orderBy(asc(noticeChannelSettings.channel));
}

/** List the enabled settings of every tenant for the delivery sweep. The table has at most two rows per tenant. */
export async function enabledNoticeChannelSettings(db: Executor): Promise<NoticeChannelSettingRow[]> {
  return db.select().from(noticeChannelSettings).where(eq(noticeChannelSettings.enabled, true));
}
