import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { ClientError, type GraphQLClient } from "graphql-request";
import { decodeGlobalId } from "../../src/graphql/relay/global-id.js";
import type { Executor } from "../../src/db/database.js";
import { customerEvents, type CustomerEventType } from "../../src/modules/events/customer-event.table.js";
import {
  customerEventKey,
  recordCustomerEvent,
  recordCustomerEvents,
  type CustomerEventInput,
} from "../../src/modules/events/customer-event.recorder.js";
import { CampaignDashboardDocument, CampaignsWithStatsDocument, CreateCampaignDocument } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";

const NOW = new Date("2024-03-10T04:00:00.000Z");
const TENANT = "dashboard-a";

let test: TestApp;
let marketer: GraphQLClient;
let campaignId: string;
let campaignRowId: string;

const alice = { customerId: randomUUID(), openid: "o-alice" };
const bob = { customerId: randomUUID(), openid: "o-bob" };

function event(
  type: CustomerEventType,
  who: { customerId: string; openid: string },
  occurredAt: string,
  extra: Partial<CustomerEventInput> = {},
): CustomerEventInput {
  return {
    eventKey: customerEventKey(type, randomUUID()),
    type,
    occurredAt: new Date(occurredAt),
    source: "WORKFLOW",
    campaignId: campaignRowId,
    ...who,
    ...extra,
  };
}

async function record(events: CustomerEventInput[]): Promise<number> {
  return test.app.services.db.transaction((tx) => recordCustomerEvents(tx as unknown as Executor, TENANT, events));
}

beforeAll(async () => {
  test = await startTestApp({ now: () => NOW });
  marketer = await test.client({ tenant: TENANT, roles: ["marketer"] });
  const { createCampaign } = await marketer.request(CreateCampaignDocument, { input: { name: "三八节" } });
  campaignId = createCampaign.campaign!.id;
  campaignRowId = decodeGlobalId(campaignId)!.id;

  // 7 March and 9 March local time in Asia/Shanghai; 8 March has no events.
  await record([
    event("RED_PACKET_ISSUED", alice, "2024-03-06T16:30:00.000Z", { amount: 888 }),
    event("RED_PACKET_ISSUED", bob, "2024-03-07T15:59:00.000Z", { amount: 1_200 }),
    event("RED_PACKET_FAILED", bob, "2024-03-07T10:00:00.000Z"),
    event("RED_PACKET_REFUNDED", alice, "2024-03-09T01:00:00.000Z", { amount: 888 }),
    event("VOUCHER_ISSUED", alice, "2024-03-09T02:00:00.000Z"),
    event("VOUCHER_ISSUED", bob, "2024-03-09T02:00:00.000Z"),
    event("VOUCHER_ISSUED", bob, "2024-03-09T03:00:00.000Z"),
    event("VOUCHER_ISSUED", alice, "2024-03-09T03:30:00.000Z"),
    event("VOUCHER_COLLECTED", alice, "2024-03-09T04:00:00.000Z"),
    event("VOUCHER_REDEEMED", alice, "2024-03-09T05:00:00.000Z"),
    event("ORDER_CREATED", bob, "2024-03-09T06:00:00.000Z", { amount: 5_000 }),
    event("ORDER_PAID", bob, "2024-03-09T06:01:00.000Z", { amount: 5_000 }),
    event("ORDER_REFUNDED", bob, "2024-03-09T07:00:00.000Z", { amount: 2_000 }),
  ]);
});

afterAll(async () => {
  await test?.stop();
});

describe("recordCustomerEvent", () => {
  it("records an event key once", async () => {
    const input = event("VOUCHER_COLLECTED", bob, "2024-03-09T08:00:00.000Z", { campaignId: null });
    const db = test.app.services.db;

    expect(await db.transaction((tx) => recordCustomerEvent(tx as unknown as Executor, TENANT, input))).toBe(true);
    expect(await db.transaction((tx) => recordCustomerEvent(tx as unknown as Executor, TENANT, input))).toBe(false);

    const [row] = await db.select({ total: count() }).from(customerEvents).where(eq(customerEvents.eventKey, input.eventKey));
    expect(row?.total).toBe(1);
  });

  it("counts only new events in a batch", async () => {
    const repeated = event("VOUCHER_COLLECTED", alice, "2024-03-09T08:00:00.000Z", { campaignId: null });
    expect(await record([repeated, repeated, event("VOUCHER_COLLECTED", bob, "2024-03-09T08:00:00.000Z", { campaignId: null })])).toBe(2);
  });

  it("keeps the same key apart per tenant", async () => {
    const input = event("VOUCHER_COLLECTED", bob, "2024-03-09T08:00:00.000Z", { campaignId: null });
    const db = test.app.services.db;
    expect(await db.transaction((tx) => recordCustomerEvent(tx as unknown as Executor, TENANT, input))).toBe(true);
    expect(await db.transaction((tx) => recordCustomerEvent(tx as unknown as Executor, "dashboard-b", input))).toBe(true);
  });

  it("rejects amounts that are not whole fen", async () => {
    await expect(record([event("ORDER_PAID", bob, "2024-03-09T08:00:00.000Z", { amount: 12.5 })])).rejects.toThrow(
      "customer event amount must be a non-negative whole number of fen, got 12.5",
    );
    await expect(record([event("ORDER_PAID", bob, "2024-03-09T08:00:00.000Z", { amount: -1 })])).rejects.toThrow(/got -1/);
  });
});

describe("Campaign.stats", () => {
  it("counts red packets, vouchers, orders and customers", async () => {
    const { campaign } = await marketer.request(CampaignDashboardDocument, { id: campaignId });
    const stats = campaign!.stats;
    expect(stats.customersReached).toBe(2);
    expect(stats.redPackets).toEqual({
      issuedCount: 2,
      issuedAmount: 2_088,
      failedCount: 1,
      refundedCount: 1,
      refundedAmount: 888,
      remainingQuotaCount: null,
      remainingQuotaAmount: null,
    });
    expect(stats.vouchers).toEqual({ issuedCount: 4, collectedCount: 1, redeemedCount: 1, redemptionRate: 0.25 });
    expect(stats.orders).toEqual({ count: 1, paidCount: 1, paidAmount: 5_000, refundedCount: 1, refundedAmount: 2_000 });
  });

  it("fills a daily series in the tenant's time zone", async () => {
    const analyst = await test.client({ tenant: TENANT, roles: ["analyst"] });
    const { campaign } = await analyst.request(CampaignDashboardDocument, { id: campaignId });
    expect(campaign!.stats.daily).toEqual([
      {
        date: "2024-03-07",
        redPacketsIssued: 2,
        redPacketAmountIssued: 2_088,
        vouchersIssued: 0,
        vouchersRedeemed: 0,
        ordersPaid: 0,
        orderAmountPaid: 0,
        customersReached: 2,
      },
      {
        date: "2024-03-08",
        redPacketsIssued: 0,
        redPacketAmountIssued: 0,
        vouchersIssued: 0,
        vouchersRedeemed: 0,
        ordersPaid: 0,
        orderAmountPaid: 0,
        customersReached: 0,
      },
      {
        date: "2024-03-09",
        redPacketsIssued: 0,
        redPacketAmountIssued: 0,
        vouchersIssued: 4,
        vouchersRedeemed: 1,
        ordersPaid: 1,
        orderAmountPaid: 5_000,
        customersReached: 2,
      },
    ]);
  });

  it("limits the daily series to the latest days", async () => {
    const { campaign } = await marketer.request(CampaignDashboardDocument, { id: campaignId, days: 2 });
    expect(campaign!.stats.daily.map((day) => day.date)).toEqual(["2024-03-08", "2024-03-09"]);
  });

  it("shows zeros for a campaign without events", async () => {
    const { createCampaign } = await marketer.request(CreateCampaignDocument, { input: { name: "未开始" } });
    const { campaign } = await marketer.request(CampaignDashboardDocument, { id: createCampaign.campaign!.id });
    expect(campaign!.stats.customersReached).toBe(0);
    expect(campaign!.stats.vouchers.redemptionRate).toBeNull();
    expect(campaign!.stats.daily).toEqual([]);
  });

  it("lists campaigns with their stats", async () => {
    const { campaigns } = await marketer.request(CampaignsWithStatsDocument, {});
    const byId = new Map(campaigns.edges.map((edge) => [edge.node.id, edge.node.stats]));
    expect(byId.get(campaignId)?.redPackets.issuedCount).toBe(2);
    expect([...byId.values()].filter((stats) => stats.customersReached === 0)).toHaveLength(1);
  });

  it("forbids the service role", async () => {
    const service = await test.client({ tenant: TENANT, roles: ["service"] });
    const error = await service.request(CampaignDashboardDocument, { id: campaignId }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).response.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });
});
