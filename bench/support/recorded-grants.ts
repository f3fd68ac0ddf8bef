import { randomUUID } from "node:crypto";
import type { AppServices } from "../../src/app/services.js";
import { TenantScope } from "../../src/db/tenant-scope.js";
import { customerEventKey, recordCustomerEvents } from "../../src/modules/events/customer-event.recorder.js";
import { notifyCampaignActivity } from "../../src/realtime/campaign-activity.js";

export interface RecordedGrantsInput {
  tenantId: string;
  /** Row id of the campaign. */
  campaignId: string;
  perSecond: number;
  total: number;
}

/**
 * Record `total` voucher grants of a campaign at a fixed rate, each as the issuers finish a grant: the
 * VOUCHER_ISSUED event in a transaction, then notifyCampaignActivity after the commit. Grants start on
 * a fixed schedule whether or not earlier ones have committed, so a slow database cannot lower the
 * rate unnoticed. Returns the commit time of each grant (ms since the epoch), in commit order.
 */
export async function recordGrantsAtRate(services: AppServices, input: RecordedGrantsInput): Promise<{ committedAt: number[]; seconds: number }> {
  const scope = new TenantScope(input.tenantId, services.db);
  const intervalMs = 1000 / input.perSecond;
  const committedAt: number[] = [];
  const running: Promise<void>[] = [];
  const started = performance.now();

  for (let index = 0; index < input.total; index++) {
    const due = started + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));

    running.push(
      (async () => {
        const grantId = randomUUID();
        await scope.transaction((tx) =>
          recordCustomerEvents(tx.db, tx.tenantId, [
            {
              eventKey: customerEventKey("VOUCHER_ISSUED", grantId),
              type: "VOUCHER_ISSUED",
              occurredAt: services.now(),
              source: "WORKFLOW",
              customerId: randomUUID(),
              openid: `ofanout${index}`,
              campaignId: input.campaignId,
              amount: 1000,
            },
          ]),
        );
        committedAt.push(Date.now());
        notifyCampaignActivity(services, input.tenantId, input.campaignId);
      })(),
    );
  }

  await Promise.all(running);
  return { committedAt, seconds: (performance.now() - started) / 1000 };
}
