import type { AppServices } from "../../app/services.js";
import { lockDeliverableNotices, markNoticeDelivery } from "./failure-notice.repository.js";
import { enabledNoticeChannelSettings } from "./notice-channel.repository.js";
import type { NoticeChannelSettingRow } from "./notice-channel.table.js";
import { postNotice, type GatewayOutcome, type GatewayTarget } from "./notice-gateway.js";
import { openText } from "./sealed-text.js";

/** Delivery attempts (one per sweep) before a notice the gateway could not take is marked FAILED. */
const MAX_ATTEMPTS = 5;
const BATCH_SIZE = 20;

/** Return the binding of a sealed signing secret, so a value copied onto another tenant or channel fails to open. */
export function signingSecretBinding(tenantId: string, channel: string): string {
  return `notice-channel:${tenantId}:${channel}`;
}

/**
 * Hand outbox notices to their tenant's gateway, one batch at a time, and record each outcome. A tenant
 * without an enabled setting for a notice's channel (the embedded mode) keeps the notice in the outbox.
 *
 * NOTE: a notice is marked SENT in the transaction that locked it, after the gateway accepted it, so a
 * crash between the two sends it again. Delivery is at least once, so gateways should dedupe on noticeId.
 */
export async function deliverOutboxNotices(services: AppServices): Promise<number> {
  return services.db.transaction(async (tx) => {
    const rows = await lockDeliverableNotices(tx, BATCH_SIZE);
    if (rows.length === 0) return 0;

    const settings = new Map((await enabledNoticeChannelSettings(tx)).map((setting) => [`${setting.tenantId}:${setting.channel}`, setting]));
    const targets = new Map<string, GatewayTarget | null>();

    for (const row of rows) {
      const fields = { module: "notices", tenantId: row.tenantId, noticeId: row.id, grantId: row.grantId, channel: row.channel };
      const settingKey = `${row.tenantId}:${row.channel}`;
      if (!targets.has(settingKey)) targets.set(settingKey, targetOf(services, settings.get(settingKey)));
      const target = targets.get(settingKey);
      if (!target) continue;

      const outcome: GatewayOutcome = await postNotice(target, row, services.now());

      if (outcome.kind === "sent") {
        await markNoticeDelivery(tx, row.id, { ok: true, at: services.now() });
        services.logger.info(fields, "failure notice sent");
        continue;
      }
      const giveUp = outcome.kind === "rejected" || row.attempts + 1 >= MAX_ATTEMPTS;
      await markNoticeDelivery(tx, row.id, { ok: false, reason: outcome.reason, giveUp });
      services.logger.warn({ ...fields, reason: outcome.reason, attempts: row.attempts + 1, giveUp }, "failure notice delivery failed");
    }
    return rows.length;
  });
}

/** Open the gateway of one setting, or return null when its secret cannot be opened (the server key changed). */
function targetOf(services: AppServices, setting: NoticeChannelSettingRow | undefined): GatewayTarget | null {
  if (!setting) return null;
  try {
    const signingSecret = openText(services.secretsKey, setting.sealedSecret, signingSecretBinding(setting.tenantId, setting.channel));
    return { endpointUrl: setting.endpointUrl, templateId: setting.templateId, signingSecret };
  } catch {
    // The notices stay in the outbox until an admin sets the channel again under the current key.
    services.logger.error({ module: "notices", tenantId: setting.tenantId, channel: setting.channel }, "notice channel secret cannot be opened");
    return null;
  }
}
