import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { AwardRedPacketPrizeDocument, RedPacketDocument, UpdateRedPacketDocument } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { createRedPacket, customerOf, setUpTenant, type RedPacketTenant } from "./support.js";

let clock = new Date("2026-03-01T23:59:00+08:00");
let test: TestApp;

beforeAll(async () => {
  test = await startTestApp({ now: () => clock });
});

afterAll(async () => {
  await test?.stop();
});

async function award(setup: RedPacketTenant, redPacketId: string, key: string) {
  const { awardRedPacketPrize } = await setup.service.request(AwardRedPacketPrizeDocument, {
    input: { redPacketId, customer: customerOf(test, setup), idempotencyKey: key },
  });
  return awardRedPacketPrize.grant!;
}

async function usageOf(setup: RedPacketTenant, redPacketId: string) {
  const { redPacket } = await setup.marketer.request(RedPacketDocument, { id: redPacketId });
  return redPacket!.usage;
}

describe("daily limits", () => {
  it("daily limits reset at midnight in Asia/Shanghai", async () => {
    clock = new Date("2026-03-01T23:59:00+08:00");
    const setup = await setUpTenant(test, "rp-midnight");
    const redPacketId = await createRedPacket(setup, { amount: { mode: "FIXED", fixed: 100 }, limits: { dailyCount: 2, totalCount: 10 } });

    const first = await award(setup, redPacketId, "d1-1");
    expect(first.status).toBe("ISSUED");
    expect(first.requestNo!.slice(10, 18)).toBe("20260301");
    expect((await award(setup, redPacketId, "d1-2")).status).toBe("ISSUED");
    const refused = await award(setup, redPacketId, "d1-3");
    expect(refused.status).toBe("FAILED");
    expect(refused.failureCode).toBe("DAILY_COUNT_LIMIT");

    const lastMinute = await usageOf(setup, redPacketId);
    expect(lastMinute.today).toMatchObject({ date: "2026-03-01", issuedCount: 2 });
    expect(lastMinute.remaining.dailyCount).toBe(0);

    clock = new Date("2026-03-02T00:00:30+08:00");
    const nextDay = await award(setup, redPacketId, "d2-1");
    expect(nextDay.status).toBe("ISSUED");
    expect(nextDay.requestNo!.slice(10, 18)).toBe("20260302");

    const usage = await usageOf(setup, redPacketId);
    expect(usage.today).toMatchObject({ date: "2026-03-02", issuedCount: 1, issuedAmount: 100 });
    expect(usage.remaining).toEqual({ totalCount: 7, totalAmount: null, dailyCount: 1, dailyAmount: null });
    expect(usage.issuedCount).toBe(3);

    // Yesterday's usage no longer limits today's setting.
    const lowered = await setup.marketer.request(UpdateRedPacketDocument, { input: { id: redPacketId, limits: { dailyCount: 1 } } });
    expect(lowered.updateRedPacket.userErrors).toEqual([]);
  });

  it("daily limits follow the tenant's own time zone", async () => {
    const setup = await setUpTenant(test, "rp-utc");
    await test.app.services.database.rows(sql`insert into tenants (id, time_zone) values ('rp-utc', 'UTC')`);
    const redPacketId = await createRedPacket(setup, { amount: { mode: "FIXED", fixed: 100 }, limits: { dailyAmount: 200 } });

    // 07:59 in Shanghai is 23:59 UTC the day before; 08:00:30 is just past midnight UTC.
    clock = new Date("2026-03-02T07:59:00+08:00");
    expect((await award(setup, redPacketId, "u1-1")).status).toBe("ISSUED");
    expect((await award(setup, redPacketId, "u1-2")).status).toBe("ISSUED");
    const refused = await award(setup, redPacketId, "u1-3");
    expect(refused.failureCode).toBe("DAILY_AMOUNT_LIMIT");
    expect((await usageOf(setup, redPacketId)).today.date).toBe("2026-03-01");

    clock = new Date("2026-03-02T08:00:30+08:00");
    expect((await award(setup, redPacketId, "u2-1")).status).toBe("ISSUED");
    const usage = await usageOf(setup, redPacketId);
    expect(usage.today).toMatchObject({ date: "2026-03-02", issuedAmount: 100 });
    expect(usage.remaining.dailyAmount).toBe(100);
  });
});
