import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { print } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import {
  AwardRedPacketPrizeDocument,
  FailureNoticesDocument,
  IssueRedPacketForFormDocument,
  MyRedPacketTransfersDocument,
  RedPacketDocument,
  RedPacketGrantDocument,
  RedPacketGrantsDocument,
  RedPacketQuotaWarningRaisedDocument,
  RedPacketQuotaWarningsDocument,
  RedPacketSendJobDocument,
  StartRedPacketSendDocument,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { signTestToken } from "../support/tokens.js";
import { createRedPacket, customerOf, eventually, finishedJob, setUpTenant } from "./support.js";

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp();
});

afterAll(async () => {
  await test?.stop();
});

async function eventsOf(tenant: string, grantRowId: string) {
  return test.app.services.database.rows<{ type: string; amount: string | number; source: string }>(
    sql`select type, amount, source from customer_events where tenant_id = ${tenant} and attributes->>'grantId' = ${grantRowId} order by occurred_at, type`,
  );
}

function rowIdOf(globalId: string): string {
  return Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
}

describe("cash red packets", () => {
  it("awardRedPacketPrize pays and records the event", async () => {
    const setup = await setUpTenant(test, "rp-cash");
    const redPacketId = await createRedPacket(setup, { amount: { mode: "FIXED", fixed: 288 } });
    const customer = customerOf(test, setup);

    const { awardRedPacketPrize } = await setup.service.request(AwardRedPacketPrizeDocument, {
      input: { redPacketId, customer, idempotencyKey: "draw-1-prize-1" },
    });
    expect(awardRedPacketPrize.userErrors).toEqual([]);
    const grant = awardRedPacketPrize.grant!;
    expect(grant.status).toBe("ISSUED");
    expect(grant.outcome).toBe("ISSUED");
    expect(grant.amount).toBe(288);
    expect(grant.source).toBe("LUCKY_DRAW");
    expect(grant.requestNo).toMatch(new RegExp(`^${setup.merchant.credentials.mchid}\\d{18}$`));
    expect(grant.requestNo).toHaveLength(28);

    const simulator = test.app.services.simulator!;
    const packets = simulator.state.redPackets(setup.merchant.credentials.mchid);
    expect(packets).toHaveLength(1);
    expect(packets[0]!.mch_billno).toBe(grant.requestNo);
    expect(packets[0]!.re_openid).toBe(customer.openid);
    expect(packets[0]!.total_amount).toBe(288);
    expect(packets[0]!.act_name).toBe("新会员有礼");

    const events = await eventsOf("rp-cash", rowIdOf(grant.id));
    expect(events.map((event) => [event.type, Number(event.amount), event.source])).toEqual([["RED_PACKET_ISSUED", 288, "LUCKY_DRAW"]]);

    const { redPacket } = await setup.marketer.request(RedPacketDocument, { id: redPacketId });
    expect(redPacket!.usage.issuedCount).toBe(1);
    expect(redPacket!.usage.issuedAmount).toBe(288);
    expect(redPacket!.usage.inFlightCount).toBe(0);
    expect(redPacket!.usage.today.issuedAmount).toBe(288);
    expect(redPacket!.sendingStartedAt).not.toBeNull();
  });

  it("awardRedPacketPrize repeats a key without paying twice", async () => {
    const setup = await setUpTenant(test, "rp-idempotent");
    const redPacketId = await createRedPacket(setup, { amount: { mode: "RANDOM", min: 100, max: 500 } });
    const customer = customerOf(test, setup);
    const input = { redPacketId, customer, idempotencyKey: "award-42" };

    const results = await Promise.all(Array.from({ length: 8 }, () => setup.service.request(AwardRedPacketPrizeDocument, { input })));
    const ids = new Set(results.map((result) => result.awardRedPacketPrize.grant!.id));
    expect(ids.size).toBe(1);
    const amounts = new Set(results.map((result) => result.awardRedPacketPrize.grant!.amount));
    expect(amounts.size).toBe(1);

    const again = await setup.service.request(AwardRedPacketPrizeDocument, { input });
    expect(again.awardRedPacketPrize.grant!.status).toBe("ISSUED");
    expect(test.app.services.simulator!.state.redPackets(setup.merchant.credentials.mchid)).toHaveLength(1);

    const { redPacket } = await setup.marketer.request(RedPacketDocument, { id: redPacketId });
    expect(redPacket!.usage.issuedCount).toBe(1);
  });

  it("issueRedPacketForForm is opened and reconciled", async () => {
    const setup = await setUpTenant(test, "rp-form");
    const redPacketId = await createRedPacket(setup);
    const customer = customerOf(test, setup);
    const { issueRedPacketForForm } = await setup.service.request(IssueRedPacketForFormDocument, {
      input: { redPacketId, customer, idempotencyKey: "submission-7" },
    });
    const grant = issueRedPacketForForm.grant!;
    expect(grant.source).toBe("FORM");
    expect(grant.status).toBe("ISSUED");

    test.app.services.simulator!.customer.openRedPacket(setup.merchant.credentials.mchid, grant.requestNo!);
    expect(test.app.services.simulator!.state.redPackets(setup.merchant.credentials.mchid)[0]!.status).toBe("RECEIVED");
  });
});

describe("merchant transfers", () => {
  it("transfer waits for confirmation, then is claimed by notification", async () => {
    const setup = await setUpTenant(test, "rp-transfer", {
      simulator: { cashRedPacket: false },
      input: { payoutChannel: "MERCHANT_TRANSFER", transferSceneId: "1000" },
    });
    const redPacketId = await createRedPacket(setup, { wishing: "感谢参与", amount: { mode: "FIXED", fixed: 666 } });
    const customer = customerOf(test, setup);

    const { awardRedPacketPrize } = await setup.service.request(AwardRedPacketPrizeDocument, {
      input: { redPacketId, customer, idempotencyKey: "t-1" },
    });
    const grant = awardRedPacketPrize.grant!;
    expect(grant.channel).toBe("MERCHANT_TRANSFER");
    expect(grant.status).toBe("ISSUED");
    expect(grant.wechatState).toBe("WAIT_USER_CONFIRM");

    const mchid = setup.merchant.credentials.mchid;
    const [bill] = test.app.services.simulator!.state.transfers(mchid);
    expect(bill!.out_bill_no).toBe(grant.requestNo);
    expect(bill!.transfer_amount).toBe(666);
    expect(bill!.transfer_remark).toBe("感谢参与");

    const page = await test.client({ tenant: "rp-transfer", roles: ["customer"], appid: customer.appid, openid: customer.openid });
    const { myRedPacketTransfers } = await page.request(MyRedPacketTransfersDocument);
    expect(myRedPacketTransfers).toHaveLength(1);
    expect(myRedPacketTransfers[0]!.package).toBe(bill!.package_info);
    expect(myRedPacketTransfers[0]!.mchId).toBe(mchid);
    expect(myRedPacketTransfers[0]!.appId).toBe(customer.appid);
    expect(myRedPacketTransfers[0]!.amount).toBe(666);

    test.app.services.simulator!.customer.confirmTransfer(mchid, grant.requestNo!);
    await test.app.services.simulator!.notifications.waitForIdle();
    const claimed = await eventually(async () => {
      const { redPacketGrant } = await setup.marketer.request(RedPacketGrantDocument, { id: grant.id });
      return redPacketGrant!.status === "CLAIMED" ? redPacketGrant! : undefined;
    });
    expect(claimed.wechatState).toBe("SUCCESS");
    expect((await page.request(MyRedPacketTransfersDocument)).myRedPacketTransfers).toEqual([]);

    const { redPacket } = await setup.marketer.request(RedPacketDocument, { id: redPacketId });
    expect(redPacket!.usage.claimedCount).toBe(1);
    expect(redPacket!.usage.claimedAmount).toBe(666);
  });
});

describe("workflow sends", () => {
  it("startRedPacketSend reports a branchable outcome per customer", async () => {
    const setup = await setUpTenant(test, "rp-workflow");
    const redPacketId = await createRedPacket(setup, {
      amount: { mode: "FIXED", fixed: 100 },
      limits: { totalCount: 3 },
      failureNotice: { enabled: true, channel: "TEMPLATE_MESSAGE", text: "红包已发完" },
    });
    const customers = [
      customerOf(test, setup, "13800138001"),
      customerOf(test, setup),
      customerOf(test, setup),
      customerOf(test, setup),
      { appid: "wx0000000000000000", openid: "o-other-account" },
    ];

    const { startRedPacketSend } = await setup.service.request(StartRedPacketSendDocument, {
      input: { redPacketId, idempotencyKey: "workflow-run-1", customers },
    });
    expect(startRedPacketSend.userErrors).toEqual([]);
    const job = await finishedJob(setup.service, startRedPacketSend.job!.id);
    expect(job.status).toBe("SUCCEEDED");
    expect(job.processedItems).toBe(5);
    expect(Object.fromEntries(job.outcomes.map((entry) => [entry.outcome, entry.count]))).toEqual({ ISSUED: 3, LIMIT_REACHED: 1, FAILED: 1 });

    const items = job.items.edges.map((edge) => edge.node);
    expect(items.map((item) => item.position)).toEqual([0, 1, 2, 3, 4]);
    expect(items[4]!.outcome).toBe("FAILED");
    expect(items[4]!.detail).toMatchObject({ failureCode: "APPID_NOT_PAYABLE" });
    for (const item of items) expect(typeof item.detail!.grantId).toBe("string");

    const limited = await setup.service.request(RedPacketSendJobDocument, { id: job.id, outcome: "LIMIT_REACHED" });
    expect(limited.job!.items.totalCount).toBe(1);

    const { redPacketGrants } = await setup.marketer.request(RedPacketGrantsDocument, { filter: { jobId: job.id }, first: 10 });
    expect(redPacketGrants.totalCount).toBe(5);
    expect(redPacketGrants.edges.every((edge) => edge.node.source === "WORKFLOW" && edge.node.jobId === job.id)).toBe(true);
    expect(test.app.services.simulator!.state.redPackets(setup.merchant.credentials.mchid)).toHaveLength(3);

    const { failureNotices } = await setup.marketer.request(FailureNoticesDocument, { filter: { redPacketId } });
    expect(failureNotices.edges.map((edge) => [edge.node.failureCode, edge.node.status]).sort()).toEqual([
      ["APPID_NOT_PAYABLE", "UNDELIVERABLE"],
      ["TOTAL_COUNT_LIMIT", "OUTBOX"],
    ]);

    // The same key returns the same job and pays no customer a second time.
    const again = await setup.service.request(StartRedPacketSendDocument, { input: { redPacketId, idempotencyKey: "workflow-run-1", customers } });
    expect(again.startRedPacketSend.job!.id).toBe(job.id);
    const otherPacket = await createRedPacket(setup, { name: "另一个红包" });
    const reused = await setup.service.request(StartRedPacketSendDocument, { input: { redPacketId: otherPacket, idempotencyKey: "workflow-run-1", customers } });
    expect(reused.startRedPacketSend.userErrors.map((error) => error.code)).toEqual(["IDEMPOTENCY_KEY_REUSED"]);
    expect(test.app.services.simulator!.state.redPackets(setup.merchant.credentials.mchid)).toHaveLength(3);
  });

  it("startRedPacketSend rejects malformed customers", async () => {
    const setup = await setUpTenant(test, "rp-workflow-input");
    const redPacketId = await createRedPacket(setup);
    const { startRedPacketSend } = await setup.service.request(StartRedPacketSendDocument, {
      input: {
        redPacketId,
        idempotencyKey: "bad-input",
        customers: [customerOf(test, setup), { ...customerOf(test, setup), mobile: "12345" }, { appid: "", openid: "o 1" }],
      },
    });
    expect(startRedPacketSend.job).toBeNull();
    expect(startRedPacketSend.userErrors.map((error) => [error.code, error.field?.join(".")])).toEqual([
      ["INVALID_MOBILE", "customers.1.mobile"],
      ["INVALID_APPID", "customers.2.appid"],
      ["INVALID_OPENID", "customers.2.openid"],
    ]);

    const empty = await setup.service.request(StartRedPacketSendDocument, { input: { redPacketId, idempotencyKey: "empty", customers: [] } });
    expect(empty.startRedPacketSend.userErrors.map((error) => error.code)).toEqual(["REQUIRED"]);
  });

  it("startRedPacketSend dry run predicts limits and pays nothing", async () => {
    const setup = await setUpTenant(test, "rp-dry-run");
    const fixed = await createRedPacket(setup, { amount: { mode: "FIXED", fixed: 150 }, limits: { totalCount: 10, dailyAmount: 1000 } });
    await setup.service.request(AwardRedPacketPrizeDocument, { input: { redPacketId: fixed, customer: customerOf(test, setup), idempotencyKey: "first" } });
    const customers = Array.from({ length: 8 }, () => customerOf(test, setup));

    const { startRedPacketSend } = await setup.service.request(StartRedPacketSendDocument, {
      input: { redPacketId: fixed, idempotencyKey: "dry-1", customers, dryRun: true },
    });
    expect(startRedPacketSend.job).toBeNull();
    const dryRun = startRedPacketSend.dryRun!;
    expect(dryRun).toMatchObject({ customers: 8, guaranteedGrants: 5, possibleGrants: 5, bindingLimit: "DAILY_AMOUNT", limitedCount: 3 });
    expect(dryRun.remaining).toEqual({ totalCount: 9, totalAmount: null, dailyCount: null, dailyAmount: 850 });
    expect(dryRun.limitedCustomers).toEqual([5, 6, 7].map((position) => ({ position, appid: customers[position]!.appid, openid: customers[position]!.openid, certain: true })));

    const random = await createRedPacket(setup, { amount: { mode: "RANDOM", min: 100, max: 300 }, limits: { dailyAmount: 1000 } });
    const randomRun = await setup.service.request(StartRedPacketSendDocument, { input: { redPacketId: random, idempotencyKey: "dry-2", customers, dryRun: true } });
    expect(randomRun.startRedPacketSend.dryRun).toMatchObject({ guaranteedGrants: 3, possibleGrants: 8, limitedCount: 5 });
    expect(randomRun.startRedPacketSend.dryRun!.limitedCustomers.every((customer) => !customer.certain)).toBe(true);

    expect(test.app.services.simulator!.state.redPackets(setup.merchant.credentials.mchid)).toHaveLength(1);
    const { redPacketGrants } = await setup.marketer.request(RedPacketGrantsDocument, { filter: { redPacketId: random } });
    expect(redPacketGrants.totalCount).toBe(0);
  });
});

describe("quota warnings", () => {
  it("redPacketQuotaWarningRaised fires once per crossing", async () => {
    const setup = await setUpTenant(test, "rp-warning");
    const redPacketId = await createRedPacket(setup, { limits: { totalCount: 4 }, warningThresholdPercent: 50 });

    const client = createClient({
      url: test.graphqlUrl.replace("http", "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await signTestToken({ tenant: "rp-warning", roles: ["marketer"] })}` },
    });
    try {
      const subscription = client.iterate({ query: print(RedPacketQuotaWarningRaisedDocument) });
      const next = subscription.next();
      // The subscription is registered once the server has acknowledged it; give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 200));

      for (const key of ["w-1", "w-2", "w-3"]) {
        await setup.service.request(AwardRedPacketPrizeDocument, { input: { redPacketId, customer: customerOf(test, setup), idempotencyKey: key } });
      }
      const received = await next;
      expect(received.value).toEqual({
        data: {
          redPacketQuotaWarningRaised: expect.objectContaining({ redPacketId, limit: "TOTAL_COUNT", thresholdPercent: 50, usedCount: 2, limitCount: 4, day: null }),
        },
      });
      await subscription.return?.();
    } finally {
      await client.dispose();
    }

    const { redPacketQuotaWarnings } = await setup.marketer.request(RedPacketQuotaWarningsDocument, { redPacketId });
    expect(redPacketQuotaWarnings.totalCount).toBe(1);
  });
});
