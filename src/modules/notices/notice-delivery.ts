import type { AppServices } from "../../app/services.js";
import { failureNoticeChannels } from "./failure-notice.table.js";
import { lockOutboxNotices, markNoticeDelivery } from "./failure-notice.repository.js";
import { noticeTransport } from "./notice-channels.js";

/** Delivery attempts before a notice is marked FAILED. */
const MAX_ATTEMPTS = 5;
const BATCH_SIZE = 20;

/**
 * Hand outbox notices to the configured gateways, one batch at a time, and record each outcome. Does
 * nothing in the embedded mode, where no gateway is configured and notices stay in the outbox.
 *
 * NOTE: a notice is marked SENT in the transaction that locked it, after the gateway accepted it, so a
 * crash between the two sends it again: delivery is at least once, not exactly once.
 */
export async function deliverOutboxNotices(services: AppServices): Promise<number> {
  const channels = failureNoticeChannels.filter((channel) => noticeTransport(channel) !== undefined);
  if (channels.length === 0) return 0;

  return services.db.transaction(async (tx) => {
    const rows = await lockOutboxNotices(tx, [...channels], BATCH_SIZE);
    for (const row of rows) {
      const transport = noticeTransport(row.channel)!;
      let result: { ok: true } | { ok: false; reason: string };
      try {
        result = await transport(row.payload ?? {});
      } catch (error) {
        result = { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }

      const giveUp = !result.ok && row.attempts + 1 >= MAX_ATTEMPTS;
      await markNoticeDelivery(tx, row.id, result.ok ? { ok: true, at: services.now() } : { ok: false, reason: result.reason, giveUp });
      const fields = { module: "notices", tenantId: row.tenantId, noticeId: row.id, grantId: row.grantId, channel: row.channel };
      if (result.ok) services.logger.info(fields, "failure notice sent");
      else services.logger.warn({ ...fields, reason: result.reason, attempts: row.attempts + 1, giveUp }, "failure notice delivery failed");
    }
    return rows.length;
  });
}
