import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import {
  AwardRedPacketPrizeDocument,
  MyRedPacketTransfersDocument,
  ReconcileRedPacketsDocument,
  RedPacketDocument,
  RedPacketGrantDocument,
  RedPacketReconciliationMismatchesDocument,
  RedPacketReconciliationRunsDocument,
  type RedPacketGrantFieldsFragment,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { createRedPacket, customerOf, eventually, finishedJob, setUpTenant, type RedPacketTenant } from "./support.js";

const DAY_MS = 24 * 3_600_000;

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp();
});

afterAll(async () => {
  await test?.stop();
});

async function award(setup: RedPacketTenant, redPacketId: string, key: string, customer = customerOf(test, setup)): Promise<RedPacketGrantFieldsFragment> {
  const { awardRedPacketPrize } = await setup.service.request(AwardRedPacketPrizeDocument, { input: { redPacketId, customer, idempotencyKey: key } });
  return awardRedPacketPrize.grant!;
}

async function grantOf(setup: RedPacketTenant, id: string) {
  const { redPacketGrant } = await setup.marketer.request(RedPacketGrantDocument, { id });
  return redPacketGrant!;
}

function rowIdOf(globalId: string): string {
  return Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
}

async function eventTypes(tenant: string, grantId: string): Promise<string[]> {
  const rows = await test.app.services.database.rows<{ type: string }>(
    sql`select type from customer_events where tenant_id = ${tenant} and attributes->>'grantId' = ${rowIdOf(grantId)} order by occurred_at, type`,
  );
  return rows.map((row) => row.type);
}

/** Run a reconciliation for the setup's tenant and return its run. */
async function reconcile(setup: RedPacketTenant) {
  const { reconcileRedPackets } = await setup.marketer.request(ReconcileRedPacketsDocument);
  const job = await finishedJob(setup.marketer, reconcileRedPackets.id);
  expect(job.status).toBe("SUCCEEDED");
  const { redPacketReconciliationRuns } = await setup.marketer.request(RedPacketReconciliationRunsDocument, { first: 10 });
  return redPacketReconciliationRuns.find((run) => run.jobId === reconcileRedPackets.id)!;
}

describe("reconciliation", () => {
  it("reconciliation reports every mismatch", async () => {
    const setup = await setUpTenant(test, "rp-mismatch");
    const redPacketId = await createRedPacket(setup, { amount: { mode: "RANDOM", min: 100, max: 500 } });
    const recordedFailed = await award(setup, redPacketId, "m-1");
    const missing = await award(setup, redPacketId, "m-2");
    const wrongAmount = await award(setup, redPacketId, "m-3");
    const stuck = await award(setup, redPacketId, "m-4");
    const healthy = await award(setup, redPacketId, "m-5");

    // Records damaged the way bugs or manual edits would damage them.
    const db = test.app.services.database;
    await db.rows(sql`update red_packet_grants set status = 'FAILED', failure_code = 'SEND_FAILED' where id = ${rowIdOf(recordedFailed.id)}`);
    await db.rows(sql`update red_packet_grants set request_no = ${`${missing.requestNo!.slice(0, 18)}9999999999`} where id = ${rowIdOf(missing.id)}`);
    await db.rows(sql`update red_packet_grants set amount = amount + 1 where id = ${rowIdOf(wrongAmount.id)}`);
    await db.rows(
      sql`update red_packet_grants set status = 'RESERVED', created_at = now() - interval '2 hours', next_attempt_at = now() + interval '1 day' where id = ${rowIdOf(stuck.id)}`,
    );

    const run = await reconcile(setup);
    expect(run.checkedGrants).toBe(5);
    expect(run.mismatches).toBe(4);

    const { redPacketReconciliationMismatches } = await setup.marketer.request(RedPacketReconciliationMismatchesDocument, { runId: run.id, first: 20 });
    const found = redPacketReconciliationMismatches.edges.map((edge) => [edge.node.grantId, edge.node.kind]).sort();
    expect(found).toEqual(
      [
        [recordedFailed.id, "PAID_BUT_RECORDED_FAILED"],
        [missing.id, "MISSING_AT_WECHATPAY"],
        [wrongAmount.id, "AMOUNT_DIFFERS"],
        [stuck.id, "STUCK_RESERVED"],
      ].sort(),
    );
    const amount = redPacketReconciliationMismatches.edges.find((edge) => edge.node.kind === "AMOUNT_DIFFERS")!.node;
    expect(amount.recordedAmount).toBe(wrongAmount.amount + 1);
    expect(amount.wechatAmount).toBe(wrongAmount.amount);
    expect(found.some(([grantId]) => grantId === healthy.id)).toBe(false);
  });

  it("reconciliation records claims and refunds of unclaimed packets", async () => {
    const setup = await setUpTenant(test, "rp-refund");
    const redPacketId = await createRedPacket(setup, { amount: { mode: "FIXED", fixed: 500 }, limits: { totalCount: 5 } });
    const opened = await award(setup, redPacketId, "r-1");
    const unopened = await award(setup, redPacketId, "r-2");
    const simulator = test.app.services.simulator!;
    simulator.customer.openRedPacket(setup.merchant.credentials.mchid, opened.requestNo!);
    simulator.advanceTime(DAY_MS + 60_000);
    expect(simulator.state.redPackets(setup.merchant.credentials.mchid).map((packet) => packet.status).sort()).toEqual(["RECEIVED", "REFUND"]);

    const run = await reconcile(setup);
    expect(run.updatedGrants).toBe(2);
    expect(run.mismatches).toBe(0);

    expect((await grantOf(setup, opened.id)).status).toBe("CLAIMED");
    const refunded = await grantOf(setup, unopened.id);
    expect(refunded.status).toBe("REFUNDED");
    expect(refunded.wechatState).toBe("REFUND");
    expect(await eventTypes("rp-refund", unopened.id)).toEqual(["RED_PACKET_ISSUED", "RED_PACKET_REFUNDED"]);

    const { redPacket } = await setup.marketer.request(RedPacketDocument, { id: redPacketId });
    expect(redPacket!.usage).toMatchObject({ issuedCount: 2, claimedCount: 1, refundedCount: 1, refundedAmount: 500 });
    // Refunded red packets keep counting against the limits.
    expect(redPacket!.usage.remaining.totalCount).toBe(3);

    const again = await reconcile(setup);
    expect(again.updatedGrants).toBe(0);
    expect(await eventTypes("rp-refund", unopened.id)).toEqual(["RED_PACKET_ISSUED", "RED_PACKET_REFUNDED"]);
  });
});

describe("transfer expiry", () => {
  it("an unconfirmed transfer closes after 24 hours and is refunded", async () => {
    const setup = await setUpTenant(test, "rp-expiry", {
      simulator: { cashRedPacket: false },
      input: { payoutChannel: "MERCHANT_TRANSFER", transferSceneId: "1000" },
    });
    const redPacketId = await createRedPacket(setup, { wishing: "感谢参与", amount: { mode: "FIXED", fixed: 300 } });
    const customer = customerOf(test, setup);
    const grant = await award(setup, redPacketId, "e-1", customer);
    expect(grant.status).toBe("ISSUED");

    const page = await test.client({ tenant: "rp-expiry", roles: ["customer"], appid: customer.appid, openid: customer.openid });
    expect((await page.request(MyRedPacketTransfersDocument)).myRedPacketTransfers).toHaveLength(1);

    const simulator = test.app.services.simulator!;
    const balanceBefore = simulator.state.balance(setup.merchant.credentials.mchid);
    simulator.faults.inject({ mchid: setup.merchant.credentials.mchid, operation: "MCHTRANSFER.BILL.FINISHED", fault: { duplicate: true } });
    simulator.advanceTime(DAY_MS + 60_000);
    await simulator.notifications.waitForIdle();

    const refunded = await eventually(async () => {
      const current = await grantOf(setup, grant.id);
      return current.status === "REFUNDED" ? current : undefined;
    });
    expect(refunded.failureCode).toBe("OVERDUE_CLOSE");
    expect(refunded.wechatState).toBe("FAIL");
    expect(simulator.state.balance(setup.merchant.credentials.mchid)).toBe(balanceBefore + 300);
    expect(await eventTypes("rp-expiry", grant.id)).toEqual(["RED_PACKET_ISSUED", "RED_PACKET_REFUNDED"]);
    expect((await page.request(MyRedPacketTransfersDocument)).myRedPacketTransfers).toEqual([]);

    // The duplicated notification and a later reconciliation change nothing more.
    const copies = simulator.notifications.deliveries.filter((delivery) => delivery.mchid === setup.merchant.credentials.mchid && delivery.statusCode === 204);
    expect(copies.map((delivery) => delivery.duplicate).sort()).toEqual([false, true]);
    const run = await reconcile(setup);
    expect(run.mismatches).toBe(0);
    expect(await eventTypes("rp-expiry", grant.id)).toEqual(["RED_PACKET_ISSUED", "RED_PACKET_REFUNDED"]);
  });
});
