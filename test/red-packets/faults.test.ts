import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import {
  AwardRedPacketPrizeDocument,
  ConnectMerchantAccountDocument,
  CreateCampaignDocument,
  CreateRedPacketDocument,
  FailureNoticesDocument,
  RedPacketDocument,
  RedPacketGrantDocument,
  RetryRedPacketGrantDocument,
  type RedPacketGrantFieldsFragment,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { createTestDatabase } from "../support/database.js";
import { merchantInput } from "../support/merchants.js";
import { startSimulator, type WechatPaySimulator } from "../../src/wechatpay/simulator/index.js";
import { TenantScope } from "../../src/db/tenant-scope.js";
import { issueGrant } from "../../src/modules/red-packets/issuing.service.js";
import { sendPayout } from "../../src/modules/red-packets/payout.js";
import { findMerchantAccountById } from "../../src/modules/merchants/merchant-account.repository.js";
import { parseGlobalId } from "../../src/graphql/relay/global-id.js";
import { createRedPacket, customerOf, eventually, redPacketInput, setUpTenant, type RedPacketTenant } from "./support.js";

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp();
});

afterAll(async () => {
  await test?.stop();
});

async function award(setup: RedPacketTenant, redPacketId: string, key: string, customer = customerOf(test, setup)): Promise<RedPacketGrantFieldsFragment> {
  const { awardRedPacketPrize } = await setup.service.request(AwardRedPacketPrizeDocument, { input: { redPacketId, customer, idempotencyKey: key } });
  expect(awardRedPacketPrize.userErrors).toEqual([]);
  return awardRedPacketPrize.grant!;
}

function packetsOf(setup: RedPacketTenant) {
  return test.app.services.simulator!.state.redPackets(setup.merchant.credentials.mchid);
}

async function usageOf(setup: RedPacketTenant, redPacketId: string) {
  const { redPacket } = await setup.marketer.request(RedPacketDocument, { id: redPacketId });
  return redPacket!.usage;
}

describe("unknown outcomes", () => {
  it("sendredpack with a lost response is queried, not paid twice", async () => {
    const setup = await setUpTenant(test, "rp-fault-lost");
    const redPacketId = await createRedPacket(setup);
    test.app.services.simulator!.faults.inject({ mchid: setup.merchant.credentials.mchid, operation: "sendRedPack", fault: { lostResponse: true } });

    const grant = await award(setup, redPacketId, "lost-1");
    expect(grant.status).toBe("ISSUED");
    expect(grant.attempts).toBe(1);
    expect(packetsOf(setup).map((packet) => packet.mch_billno)).toEqual([grant.requestNo]);
  });

  it("sendredpack SYSTEMERROR without effect is resent with the same number", async () => {
    const setup = await setUpTenant(test, "rp-fault-system");
    const redPacketId = await createRedPacket(setup, { amount: { mode: "RANDOM", min: 100, max: 999 } });
    test.app.services.simulator!.faults.inject({ mchid: setup.merchant.credentials.mchid, operation: "sendRedPack", fault: { errorCode: "SYSTEMERROR" } });

    const grant = await award(setup, redPacketId, "system-1");
    expect(grant.status).toBe("ISSUED");
    expect(grant.attempts).toBe(2);
    const packets = packetsOf(setup);
    expect(packets).toHaveLength(1);
    expect(packets[0]!.mch_billno).toBe(grant.requestNo);
    expect(packets[0]!.total_amount).toBe(grant.amount);
  });

  it("sendredpack SYSTEMERROR and PROCESSING with effect are found by query", async () => {
    const setup = await setUpTenant(test, "rp-fault-processed");
    const redPacketId = await createRedPacket(setup);
    const simulator = test.app.services.simulator!;

    for (const errorCode of ["SYSTEMERROR", "PROCESSING"]) {
      simulator.faults.inject({ mchid: setup.merchant.credentials.mchid, operation: "sendRedPack", fault: { errorCode, processed: true } });
      const grant = await award(setup, redPacketId, `processed-${errorCode}`);
      expect(grant.status).toBe("ISSUED");
      expect(grant.attempts).toBe(1);
      expect(grant.wechatState).toBe("SENT");
    }
    expect(packetsOf(setup)).toHaveLength(2);
    expect((await usageOf(setup, redPacketId)).issuedCount).toBe(2);
  });

  it("a definitive failure after an unknown one is confirmed by query", async () => {
    const setup = await setUpTenant(test, "rp-fault-confirm");
    const redPacketId = await createRedPacket(setup, { limits: { totalCount: 5 } });
    const mchid = setup.merchant.credentials.mchid;
    test.app.services.simulator!.faults.inject({ mchid, operation: "sendRedPack", fault: { errorCode: "SYSTEMERROR" } });
    test.app.services.simulator!.faults.inject({ mchid, operation: "sendRedPack", fault: { errorCode: "SEND_FAILED" } });

    const grant = await award(setup, redPacketId, "confirm-1");
    expect(grant.status).toBe("FAILED");
    expect(grant.failureCode).toBe("SEND_FAILED");
    expect(grant.outcome).toBe("FAILED");
    expect(grant.attempts).toBe(2);
    expect(packetsOf(setup)).toEqual([]);

    const usage = await usageOf(setup, redPacketId);
    expect(usage.inFlightCount).toBe(0);
    expect(usage.failedCount).toBe(1);
    expect(usage.remaining.totalCount).toBe(5);
  });

  it("createTransferBill with a lost response fetches the package again", async () => {
    const setup = await setUpTenant(test, "rp-fault-transfer", {
      simulator: { cashRedPacket: false },
      input: { payoutChannel: "MERCHANT_TRANSFER", transferSceneId: "1000" },
    });
    const redPacketId = await createRedPacket(setup, { wishing: "感谢参与" });
    const simulator = test.app.services.simulator!;
    simulator.faults.inject({ mchid: setup.merchant.credentials.mchid, operation: "createTransferBill", fault: { lostResponse: true } });

    const grant = await award(setup, redPacketId, "transfer-lost");
    expect(grant.status).toBe("ISSUED");
    expect(grant.wechatState).toBe("WAIT_USER_CONFIRM");
    const bills = simulator.state.transfers(setup.merchant.credentials.mchid);
    expect(bills).toHaveLength(1);
    expect(bills[0]!.out_bill_no).toBe(grant.requestNo);
  });
});

describe("retryable failures", () => {
  it("sendredpack NOTENOUGH holds the quota until a retry after top-up", async () => {
    const setup = await setUpTenant(test, "rp-fault-balance");
    const redPacketId = await createRedPacket(setup, { limits: { totalCount: 3 } });
    const simulator = test.app.services.simulator!;
    const mchid = setup.merchant.credentials.mchid;
    simulator.topUpBalance(mchid, -simulator.state.balance(mchid));

    const grant = await award(setup, redPacketId, "balance-1");
    expect(grant.status).toBe("RESERVED");
    expect(grant.outcome).toBe("PENDING");
    expect(grant.failureCode).toBe("NOTENOUGH");
    expect(packetsOf(setup)).toEqual([]);
    const held = await usageOf(setup, redPacketId);
    expect(held.inFlightCount).toBe(1);
    expect(held.inFlightAmount).toBe(grant.amount);
    expect(held.remaining.totalCount).toBe(2);

    simulator.topUpBalance(mchid, 10_000);
    const { retryRedPacketGrant } = await setup.marketer.request(RetryRedPacketGrantDocument, { id: grant.id });
    expect(retryRedPacketGrant.grant!.status).toBe("ISSUED");
    expect(retryRedPacketGrant.grant!.requestNo).toBe(grant.requestNo);
    expect(packetsOf(setup).map((packet) => packet.mch_billno)).toEqual([grant.requestNo]);

    const settled = await usageOf(setup, redPacketId);
    expect(settled.inFlightCount).toBe(0);
    expect(settled.issuedCount).toBe(1);
    expect(settled.remaining.totalCount).toBe(2);

    const again = await setup.marketer.request(RetryRedPacketGrantDocument, { id: grant.id });
    expect(again.retryRedPacketGrant.userErrors.map((error) => error.code)).toEqual(["GRANT_NOT_RETRYABLE"]);
  });

  it("sendredpack FREQ_LIMIT is retried with the same number", async () => {
    const setup = await setUpTenant(test, "rp-fault-freq");
    const redPacketId = await createRedPacket(setup);
    const simulator = test.app.services.simulator!;
    const mchid = setup.merchant.credentials.mchid;

    simulator.faults.inject({ mchid, operation: "sendRedPack", fault: { errorCode: "FREQ_LIMIT" } });
    const once = await award(setup, redPacketId, "freq-1");
    expect(once.status).toBe("ISSUED");

    // More rate-limit responses than the client retries, so the grant waits for the sweep or an operator.
    simulator.faults.inject({ mchid, operation: "sendRedPack", fault: { errorCode: "FREQ_LIMIT" }, times: 3 });
    const postponed = await award(setup, redPacketId, "freq-2");
    expect(postponed.status).toBe("RESERVED");
    expect(postponed.failureCode).toBe("FREQ_LIMIT");

    const { retryRedPacketGrant } = await setup.marketer.request(RetryRedPacketGrantDocument, { id: postponed.id });
    expect(retryRedPacketGrant.grant!.status).toBe("ISSUED");
    expect(packetsOf(setup).map((packet) => packet.mch_billno).sort()).toEqual([once.requestNo, postponed.requestNo].sort());
  });
});

describe("definitive failures", () => {
  it("a customer's daily limit fails the grant and releases its quota", async () => {
    const setup = await setUpTenant(test, "rp-fault-user-limit", { simulator: { redPacketsPerUserPerDay: 1 } });
    const redPacketId = await createRedPacket(setup, {
      limits: { totalCount: 10 },
      failureNotice: { enabled: true, channel: "SMS", text: "今日红包已达上限，明天再来。" },
    });
    const customer = customerOf(test, setup, "138 0013 8000");

    const first = await award(setup, redPacketId, "user-1", customer);
    expect(first.status).toBe("ISSUED");
    const second = await award(setup, redPacketId, "user-2", customer);
    expect(second.status).toBe("FAILED");
    expect(second.failureCode).toBe("SENDNUM_LIMIT");
    expect(second.limitReached).toBe(true);
    expect(second.outcome).toBe("LIMIT_REACHED");
    expect(second.failureMessage).toMatch(/^WeChat Pay rejected the payout \(SENDNUM_LIMIT\): /);

    const usage = await usageOf(setup, redPacketId);
    expect(usage.issuedCount).toBe(1);
    expect(usage.inFlightCount).toBe(0);
    expect(usage.failedCount).toBe(1);
    expect(usage.remaining.totalCount).toBe(9);

    await award(setup, redPacketId, "user-2", customer);
    const noMobile = customerOf(test, setup);
    await award(setup, redPacketId, "user-3", noMobile);
    const fourth = await award(setup, redPacketId, "user-4", noMobile);
    expect(fourth.failureCode).toBe("SENDNUM_LIMIT");

    const { failureNotices } = await setup.marketer.request(FailureNoticesDocument, { filter: { redPacketId } });
    expect(failureNotices.totalCount).toBe(2);
    const [withoutMobile, withMobile] = failureNotices.edges.map((edge) => edge.node);
    expect(withMobile).toMatchObject({ grantId: second.id, channel: "SMS", mobile: "+8613800138000", status: "OUTBOX", failureCode: "SENDNUM_LIMIT" });
    expect(withoutMobile).toMatchObject({ grantId: fourth.id, status: "UNDELIVERABLE", statusReason: "NO_MOBILE" });
  });
});

describe("restart", () => {
  let simulator: WechatPaySimulator;
  const env = { SECRETS_KEY: randomBytes(32).toString("base64") };

  beforeAll(async () => {
    simulator = await startSimulator({ host: "127.0.0.1" });
  });

  afterAll(async () => {
    await simulator?.close();
  });

  it("grants left by a killed process are paid once after restart", async () => {
    const database = await createTestDatabase();
    const tenant = "rp-restart";
    const first = await startTestApp({ env, database });
    let second: TestApp | undefined;
    try {
      const admin = await first.client({ tenant, roles: ["admin"] });
      const credentials = await simulator.createMerchant();
      const { connectMerchantAccount } = await admin.request(ConnectMerchantAccountDocument, { input: merchantInput(credentials) });
      const merchantId = connectMerchantAccount.merchantAccount!.id;
      const { createCampaign } = await admin.request(CreateCampaignDocument, { input: { name: "重启测试" } });
      const setup = { campaignId: createCampaign.campaign!.id, merchant: { id: merchantId } } as RedPacketTenant;
      const { createRedPacket: created } = await admin.request(CreateRedPacketDocument, {
        input: redPacketInput(setup, { amount: { mode: "RANDOM", min: 100, max: 300 }, limits: { totalCount: 10 } }),
      });
      const redPacketId = created.redPacket!.id;

      const services = first.app.services;
      const work = { services, scope: new TenantScope(tenant, services.db), logger: services.logger };
      const appid = credentials.appids[0]!;
      const request = (key: string) => ({
        redPacketId: parseGlobalId("RedPacket", redPacketId),
        customer: { appid, openid: simulator.customer.openid(appid) },
        idempotencyKey: key,
        source: "LUCKY_DRAW" as const,
      });
      const killed = new Error("process killed");

      // Killed after the reservation committed, before WeChat Pay was called.
      await expect(issueGrant(work, request("before-call"), { afterReservation: () => Promise.reject(killed) })).rejects.toBe(killed);

      // Killed after WeChat Pay paid, before the result was recorded.
      const account = (await findMerchantAccountById(work.scope, parseGlobalId("MerchantAccount", merchantId)))!;
      await expect(
        issueGrant(work, request("after-call"), {
          afterReservation: async (grant) => {
            expect((await sendPayout(services.wechatPay.clientFor(account), grant)).kind).toBe("issued");
            throw killed;
          },
        }),
      ).rejects.toBe(killed);
      expect(simulator.state.redPackets(credentials.mchid)).toHaveLength(1);
      await first.stop();

      second = await startTestApp({ env, database });
      // The dead process's leases run out (60 s in production; moved here instead of waiting).
      await second.app.services.database.rows(sql`update red_packet_grants set lease_until = now() - interval '1 second' where tenant_id = ${tenant}`);

      const marketer = await second.client({ tenant, roles: ["marketer"] });
      const grants = await eventually(async () => {
        const rows = await second!.app.services.database.rows<{ id: string; status: string; request_no: string; amount: string | number }>(
          sql`select id, status, request_no, amount from red_packet_grants where tenant_id = ${tenant}`,
        );
        return rows.length === 2 && rows.every((row) => row.status === "ISSUED") ? rows : undefined;
      }, 20_000);

      const packets = simulator.state.redPackets(credentials.mchid);
      expect(packets).toHaveLength(2);
      expect(packets.map((packet) => packet.mch_billno).sort()).toEqual(grants.map((grant) => grant.request_no).sort());
      for (const grant of grants) {
        expect(packets.find((packet) => packet.mch_billno === grant.request_no)!.total_amount).toBe(Number(grant.amount));
      }

      const { redPacket } = await marketer.request(RedPacketDocument, { id: redPacketId });
      expect(redPacket!.usage.issuedCount).toBe(2);
      expect(redPacket!.usage.inFlightCount).toBe(0);
      expect(redPacket!.usage.issuedAmount).toBe(packets.reduce((sum, packet) => sum + packet.total_amount, 0));

      const { redPacketGrant } = await marketer.request(RedPacketGrantDocument, { id: Buffer.from(`RedPacketGrant:${grants[0]!.id}`).toString("base64url") });
      expect(redPacketGrant!.status).toBe("ISSUED");
    } finally {
      await second?.stop();
      await first.stop();
      await database.drop();
    }
  });
});
