import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import {
  AwardRedPacketPrizeDocument,
  FailureNoticesDocument,
  IssueRedPacketForFormDocument,
  MyRedPacketTransfersDocument,
  RedPacketDocument,
  RedPacketGrantDocument,
  RedPacketGrantsDocument,
  RedPacketQuotaWarningsDocument,
  StartRedPacketSendDocument,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
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

    const results = await Promise.all([1, 2, 3].map(() => setup.service.request(AwardRedPacketPrizeDocument, { input })));
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
