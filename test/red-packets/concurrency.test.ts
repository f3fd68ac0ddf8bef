import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import {
  AwardRedPacketPrizeDocument,
  FailureNoticesDocument,
  IssueRedPacketForFormDocument,
  RedPacketDocument,
  RedPacketQuotaWarningsDocument,
  StartRedPacketSendDocument,
  type FailureNoticesQuery,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { allGrants, createRedPacket, customerOf, finishedJob, setUpTenant } from "./support.js";

// Both instances must open the merchant credentials the first one sealed.
const env = { SECRETS_KEY: randomBytes(32).toString("base64") };

let first: TestApp;
let second: TestApp;

beforeAll(async () => {
  first = await startTestApp({ env });
  second = await startTestApp({ env, database: first.database });
});

afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

describe("quota under concurrency", () => {
  it("400 racing grants pay exactly what the limits allow", async () => {
    const tenant = "rp-race";
    const setup = await setUpTenant(first, tenant);
    const redPacketId = await createRedPacket(setup, {
      amount: { mode: "RANDOM", min: 150, max: 250 },
      limits: { totalCount: 50, dailyAmount: 10_000 },
      warningThresholdPercent: 80,
      failureNotice: { enabled: true, channel: "TEMPLATE_MESSAGE", text: "很遗憾，红包已发完。" },
    });

    // Three service clients on each instance send single grants; the second instance also runs a workflow send.
    const clients = [
      ...(await Promise.all([1, 2, 3].map(() => first.client({ tenant, roles: ["service"] })))),
      ...(await Promise.all([1, 2, 3].map(() => second.client({ tenant, roles: ["service"] })))),
    ];
    const singles = Array.from({ length: 300 }, (_, index) => ({ index, customer: customerOf(first, setup) }));
    const workflowCustomers = Array.from({ length: 100 }, () => customerOf(first, setup));
    const workflowClient = await second.client({ tenant, roles: ["service"] });

    const [, started] = await Promise.all([
      Promise.all(
        singles.map(({ index, customer }) => {
          const client = clients[index % clients.length]!;
          const input = { redPacketId, customer, idempotencyKey: `race-${index}` };
          return index % 2 === 0
            ? client.request(AwardRedPacketPrizeDocument, { input })
            : client.request(IssueRedPacketForFormDocument, { input });
        }),
      ),
      workflowClient.request(StartRedPacketSendDocument, { input: { redPacketId, idempotencyKey: "race-workflow", customers: workflowCustomers } }),
    ]);
    const job = await finishedJob(workflowClient, started.startRedPacketSend.job!.id);
    expect(job.status).toBe("SUCCEEDED");
    expect(job.processedItems).toBe(100);

    const grants = await allGrants(setup.marketer, redPacketId);
    expect(grants).toHaveLength(400);
    const paid = grants.filter((grant) => grant.status === "ISSUED");
    const failed = grants.filter((grant) => grant.status === "FAILED");
    expect(paid.length + failed.length).toBe(400);

    const paidCount = paid.length;
    const paidAmount = paid.reduce((sum, grant) => sum + grant.amount, 0);
    expect(paidCount).toBeLessThanOrEqual(50);
    // At most 250 fen each, so the amount limit leaves room for at least 40 grants.
    expect(paidCount).toBeGreaterThanOrEqual(40);
    expect(paidAmount).toBeLessThanOrEqual(10_000);
    for (const grant of paid) {
      expect(grant.amount).toBeGreaterThanOrEqual(150);
      expect(grant.amount).toBeLessThanOrEqual(250);
    }

    // Usage only grows in this test, so a grant refused for a limit must still break that limit now.
    for (const grant of failed) {
      expect(grant.limitReached).toBe(true);
      expect(["TOTAL_COUNT_LIMIT", "DAILY_AMOUNT_LIMIT"]).toContain(grant.failureCode);
      if (grant.failureCode === "TOTAL_COUNT_LIMIT") expect(paidCount).toBe(50);
      else expect(paidAmount + grant.amount).toBeGreaterThan(10_000);
    }

    // The simulator has exactly the paid grants, once each.
    const packets = first.app.services.simulator!.state.redPackets(setup.merchant.credentials.mchid);
    expect(packets).toHaveLength(paidCount);
    expect(packets.reduce((sum, packet) => sum + packet.total_amount, 0)).toBe(paidAmount);
    expect(new Set(packets.map((packet) => packet.mch_billno))).toEqual(new Set(paid.map((grant) => grant.requestNo)));

    const { redPacket } = await setup.marketer.request(RedPacketDocument, { id: redPacketId });
    expect(redPacket!.usage.issuedCount).toBe(paidCount);
    expect(redPacket!.usage.issuedAmount).toBe(paidAmount);
    expect(redPacket!.usage.inFlightCount).toBe(0);
    expect(redPacket!.usage.inFlightAmount).toBe(0);
    expect(redPacket!.usage.failedCount).toBe(failed.length);
    expect(redPacket!.usage.today.issuedCount).toBe(paidCount);
    expect(redPacket!.usage.today.issuedAmount).toBe(paidAmount);

    const notices = await setup.marketer.request(FailureNoticesDocument, { filter: { redPacketId }, first: 100 });
    expect(notices.failureNotices.totalCount).toBe(failed.length);
    const noticeGrants: string[] = [];
    let after: string | null | undefined = null;
    do {
      const page: FailureNoticesQuery = await setup.marketer.request(FailureNoticesDocument, { filter: { redPacketId }, first: 100, after });
      noticeGrants.push(...page.failureNotices.edges.map((edge) => edge.node.grantId));
      for (const edge of page.failureNotices.edges) {
        expect(edge.node.status).toBe("OUTBOX");
        expect(edge.node.text).toBe("很遗憾，红包已发完。");
      }
      after = page.failureNotices.pageInfo.hasNextPage ? page.failureNotices.pageInfo.endCursor : undefined;
    } while (after);
    expect(noticeGrants.sort()).toEqual(failed.map((grant) => grant.id).sort());

    const events = await first.app.services.database.rows<{ type: string; total: string | number; amount: string | number | null }>(
      sql`select type, count(*) as total, sum(amount) as amount from customer_events where tenant_id = ${tenant} group by type order by type`,
    );
    expect(events.map((row) => [row.type, Number(row.total)])).toEqual([
      ["RED_PACKET_FAILED", failed.length],
      ["RED_PACKET_ISSUED", paidCount],
    ]);
    expect(Number(events.find((row) => row.type === "RED_PACKET_ISSUED")!.amount)).toBe(paidAmount);

    // Each limit crossed 80 % exactly once: 40 of 50 grants, and 8000 of 10000 fen.
    const { redPacketQuotaWarnings } = await setup.marketer.request(RedPacketQuotaWarningsDocument, { redPacketId, first: 10 });
    const kinds = redPacketQuotaWarnings.edges.map((edge) => edge.node.limit).sort();
    expect(kinds).toEqual(["DAILY_AMOUNT", "TOTAL_COUNT"]);
  });
});
