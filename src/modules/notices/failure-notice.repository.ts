import { and, asc, count, desc, eq, exists, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/database.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import { failureNotices, type FailureNoticeChannel, type FailureNoticeRow, type FailureNoticeStatus } from "./failure-notice.table.js";
import { noticeChannels, type NoticeRecipient } from "./notice-channels.js";
import { noticeChannelSettings } from "./notice-channel.table.js";

export interface FailureNoticeInput {
  grantId: string;
  redPacketId: string;
  customerId: string;
  channel: FailureNoticeChannel;
  recipient: NoticeRecipient;
  text: string;
  failureCode: string;
}

/**
 * Queue the notice of a failed grant inside the caller's transaction. The channel adapter builds the
 * message now. A customer the channel cannot reach gets an UNDELIVERABLE row with the reason, so the
 * outbox still shows why no message went out. Returns false when the grant already has its notice.
 */
export async function queueFailureNotice(db: Executor, tenantId: string, input: FailureNoticeInput): Promise<boolean> {
  const prepared = noticeChannels[input.channel].prepare(input.recipient, input.text);
  const inserted = await db
    .insert(failureNotices)
    .values({
      tenantId,
      grantId: input.grantId,
      redPacketId: input.redPacketId,
      customerId: input.customerId,
      channel: input.channel,
      appid: input.recipient.appid,
      openid: input.recipient.openid,
      mobile: input.recipient.mobile,
      text: input.text,
      payload: prepared.ok ? prepared.payload : null,
      status: prepared.ok ? "OUTBOX" : "UNDELIVERABLE",
      statusReason: prepared.ok ? null : prepared.reason,
      failureCode: input.failureCode,
    })
    .onConflictDoNothing({ target: [failureNotices.tenantId, failureNotices.grantId] })
    .returning({ id: failureNotices.id });
  return inserted.length > 0;
}

export interface FailureNoticeQuery {
  redPacketId?: string | null;
  grantId?: string | null;
  status?: FailureNoticeStatus[] | null;
}

function filterConditions(query: FailureNoticeQuery): (SQL | undefined)[] {
  return [
    query.redPacketId ? eq(failureNotices.redPacketId, query.redPacketId) : undefined,
    query.grantId ? eq(failureNotices.grantId, query.grantId) : undefined,
    query.status?.length ? inArray(failureNotices.status, query.status) : undefined,
  ];
}

/** One page, newest first; `limit` should be the page size plus one. */
export async function listFailureNotices(
  scope: TenantScope,
  query: FailureNoticeQuery,
  after: Cursor | undefined,
  limit: number,
): Promise<FailureNoticeRow[]> {
  const afterCondition = after
    ? or(
        lt(failureNotices.createdAt, new Date(after.key)),
        and(eq(failureNotices.createdAt, new Date(after.key)), lt(failureNotices.id, after.id)),
      )
    : undefined;
  return scope.db
    .select()
    .from(failureNotices)
    .where(scope.where(failureNotices, ...filterConditions(query), afterCondition))
    .orderBy(desc(failureNotices.createdAt), desc(failureNotices.id))
    .limit(limit);
}

export async function countFailureNotices(scope: TenantScope, query: FailureNoticeQuery): Promise<number> {
  const [row] = await scope.db
    .select({ total: count() })
    .from(failureNotices)
    .where(scope.where(failureNotices, ...filterConditions(query)));
  return row?.total ?? 0;
}

/**
 * Lock up to `limit` outbox notices whose tenant has an enabled gateway for the notice's channel,
 * skipping rows another instance holds. Call inside a transaction and mark each row before it commits.
 */
export async function lockDeliverableNotices(db: Executor, limit: number): Promise<FailureNoticeRow[]> {
  const gatewayConfigured = db
    .select({ one: sql`1` })
    .from(noticeChannelSettings)
    .where(
      and(
        eq(noticeChannelSettings.tenantId, failureNotices.tenantId),
        eq(noticeChannelSettings.channel, failureNotices.channel),
        eq(noticeChannelSettings.enabled, true),
      ),
    );
  return db
    .select()
    .from(failureNotices)
    .where(and(eq(failureNotices.status, "OUTBOX"), exists(gatewayConfigured)))
    .orderBy(asc(failureNotices.createdAt))
    .limit(limit)
    .for("update", { of: failureNotices, skipLocked: true });
}

export async function markNoticeDelivery(
  db: Executor,
  id: string,
  outcome: { ok: true; at: Date } | { ok: false; reason: string; giveUp: boolean },
): Promise<void> {
  await db
    .update(failureNotices)
    .set(
      outcome.ok
        ? { status: "SENT", sentAt: outcome.at, statusReason: null, attempts: sql`${failureNotices.attempts} + 1`, updatedAt: new Date() }
        : {
            status: outcome.giveUp ? "FAILED" : "OUTBOX",
            statusReason: outcome.reason,
            attempts: sql`${failureNotices.attempts} + 1`,
            updatedAt: new Date(),
          },
    )
    .where(eq(failureNotices.id, id));
}
