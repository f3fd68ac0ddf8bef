import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, countDistinct, eq, sum } from "drizzle-orm";
import { DemoClock } from "../../src/demo/demo-clock.js";
import { runDemo, SHORT_SIZE, type DemoReport } from "../../src/demo/run-demo.js";
import { formatReport } from "../../src/demo/print-report.js";
import { decodeGlobalId } from "../../src/graphql/relay/global-id.js";
import { customerEvents, type CustomerEventType } from "../../src/modules/events/customer-event.table.js";
import { orders } from "../../src/modules/orders/order.tables.js";
import { startTestApp, type TestApp } from "../support/app.js";

let test: TestApp;
let report: DemoReport;
let campaignRowId: string;

beforeAll(async () => {
  const clock = new DemoClock(4);
  test = await startTestApp({ now: clock.now });
  report = await runDemo({ app: test.app, size: SHORT_SIZE, clock, outputDir: path.join(test.dataDir, "demo-export"), tenantId: "demo-test" });
  campaignRowId = decodeGlobalId(report.campaignId)!.id;
}, 240_000);

afterAll(async () => {
  await test?.stop();
});

async function eventCount(type: CustomerEventType): Promise<number> {
  const [row] = await test.app.services.db
    .select({ total: count() })
    .from(customerEvents)
    .where(and(eq(customerEvents.tenantId, "demo-test"), eq(customerEvents.campaignId, campaignRowId), eq(customerEvents.type, type)));
  return row?.total ?? 0;
}

describe("demo", () => {
  it("report counts match the database", async () => {
    expect(report.connectionOk).toBe(true);
    expect(report.stats.vouchers.issuedCount).toBe(await eventCount("VOUCHER_ISSUED"));
    expect(report.stats.vouchers.collectedCount).toBe(await eventCount("VOUCHER_COLLECTED"));
    expect(report.stats.vouchers.redeemedCount).toBe(await eventCount("VOUCHER_REDEEMED"));
    expect(report.stats.redPackets.issuedCount).toBe(await eventCount("RED_PACKET_ISSUED"));
    expect(report.stats.redPackets.failedCount).toBe(await eventCount("RED_PACKET_FAILED"));

    const [reached] = await test.app.services.db
      .select({ total: countDistinct(customerEvents.customerId) })
      .from(customerEvents)
      .where(and(eq(customerEvents.tenantId, "demo-test"), eq(customerEvents.campaignId, campaignRowId)));
    expect(report.stats.customersReached).toBe(reached?.total);

    const eventTotal = report.eventsByDay.reduce((total, row) => total + row.count, 0);
    const [all] = await test.app.services.db
      .select({ total: count() })
      .from(customerEvents)
      .where(and(eq(customerEvents.tenantId, "demo-test"), eq(customerEvents.campaignId, campaignRowId)));
    expect(eventTotal).toBe(all?.total);
    expect(new Set(report.eventsByDay.map((row) => row.day)).size).toBeGreaterThanOrEqual(4);
  });

  it("workflow runs into the tight red packet limit", async () => {
    expect(report.workflowVouchers).toEqual({ ISSUED: SHORT_SIZE.workflow });
    expect(report.workflowRedPackets["ISSUED"]).toBe(SHORT_SIZE.tightRedPacketLimit);
    expect(report.workflowRedPackets["LIMIT_REACHED"]).toBe(SHORT_SIZE.workflow - SHORT_SIZE.tightRedPacketLimit);
    expect(report.failureNotices.count).toBe(SHORT_SIZE.workflow - SHORT_SIZE.tightRedPacketLimit);
    expect(report.failureNotices.example).toBe("很抱歉，本轮红包已发完，敬请关注下次活动。");
  });

  it("orders and the export agree with the database", async () => {
    const [paid] = await test.app.services.db
      .select({ total: count(), amount: sum(orders.payerTotal).mapWith(Number) })
      .from(orders)
      .where(and(eq(orders.tenantId, "demo-test"), eq(orders.status, "PAID")));
    expect(report.orders.paid).toBe(paid?.total);
    expect(report.orders.paidAmount).toBe(paid?.amount);
    expect(report.orders.withVoucher).toBeGreaterThan(0);

    expect(report.exportRows).toBe(SHORT_SIZE.buyers);
    const file = readFileSync(report.exportFile!);
    expect(createHash("sha256").update(file).digest("hex")).toBe(report.exportSha256);
    expect(file.toString("utf8").split("\n").filter((line) => line.trim() !== "").length).toBe(SHORT_SIZE.buyers + 1);
  });

  it("live counts end at the database's counts", async () => {
    expect(report.live.updates).toBeGreaterThan(1);
    expect(report.live.last).toMatchObject({
      vouchersIssued: await eventCount("VOUCHER_ISSUED"),
      vouchersCollected: await eventCount("VOUCHER_COLLECTED"),
      vouchersRedeemed: await eventCount("VOUCHER_REDEEMED"),
      redPacketsIssued: await eventCount("RED_PACKET_ISSUED"),
      redPacketsFailed: await eventCount("RED_PACKET_FAILED"),
    });
  });

  it("prints a readable report", () => {
    const text = formatReport(report, "http://localhost:4000");
    expect(text).toContain("双十二年终盛典");
    expect(text).toContain(`Workflow red packets (tight limits): ISSUED ${SHORT_SIZE.tightRedPacketLimit}`);
    expect(text).toContain(report.exportFile!);
  });
});
