import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatedMerchantConfig, type WechatPaySimulator } from "../../../src/wechatpay/simulator/index.js";
import { sendV3, verifyWechatpaySignature } from "./support/signed-client.js";

let simulator: WechatPaySimulator;
let merchant: SimulatedMerchantConfig;
let stockId: string;
let sequence = 0;

beforeAll(async () => {
  simulator = await startSimulator();
  merchant = await simulator.createMerchant();
  stockId = simulator.createStock(merchant.mchid, {
    stock_name: "满50减5",
    coupon_amount: 500,
    transaction_minimum: 5000,
    max_coupons: 1000,
    max_coupons_per_user: 100,
  }).stock_id as string;
});

afterEach(() => {
  simulator.faults.clear();
});

afterAll(async () => {
  await simulator.close();
});

function send(outRequestNo: string) {
  return sendV3(merchant, {
    method: "POST",
    path: "/v3/marketing/favor/users/oUser-faults/coupons",
    body: { stock_id: stockId, out_request_no: outRequestNo, appid: merchant.appids[0], stock_creator_mchid: merchant.mchid },
  });
}

function nextRequestNo(): string {
  sequence += 1;
  return `FAULT${Date.now()}${sequence}`;
}

describe("error code faults", () => {
  const cases = [
    { errorCode: "SYSTEM_ERROR", status: 500 },
    { errorCode: "FREQUENCY_LIMITED", status: 429 },
    { errorCode: "NOT_ENOUGH", status: 403 },
    { errorCode: "RULE_LIMIT", status: 403 },
    { errorCode: "PARAM_ERROR", status: 400 },
    { errorCode: "SERVICE_UNAVAILABLE", status: 503 },
  ];

  for (const { errorCode, status } of cases) {
    it(`answers ${errorCode} with HTTP ${status}`, async () => {
      simulator.faults.inject({ mchid: merchant.mchid, operation: "sendCoupon", fault: { errorCode } });

      const answer = await send(nextRequestNo());

      expect(answer.status).toBe(status);
      expect(JSON.parse(answer.body).code).toBe(errorCode);
      expect(verifyWechatpaySignature(simulator.platform, answer.headers, answer.body)).toBe(true);
    });
  }

  it("fires only the armed number of times", async () => {
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendCoupon", fault: { errorCode: "SYSTEM_ERROR" }, times: 2 });

    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await send(nextRequestNo())).status);

    expect(statuses).toEqual([500, 500, 200]);
  });

  it("applies only to the named merchant", async () => {
    const other = await simulator.createMerchant();
    simulator.faults.inject({ mchid: other.mchid, operation: "sendCoupon", fault: { errorCode: "SYSTEM_ERROR" } });

    expect((await send(nextRequestNo())).status).toBe(200);
  });

  it("a processed SYSTEM_ERROR replays to the same coupon", async () => {
    const outRequestNo = nextRequestNo();
    const before = simulator.state.created().coupons;
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendCoupon", fault: { errorCode: "SYSTEM_ERROR", processed: true } });

    const failed = await send(outRequestNo);
    const retried = await send(outRequestNo);

    expect(failed.status).toBe(500);
    expect(retried.status).toBe(200);
    expect(simulator.state.created().coupons).toBe(before + 1);
    expect(simulator.state.coupons({ stock_id: stockId }).find((coupon) => coupon.out_request_no === outRequestNo)?.coupon_id).toBe(
      JSON.parse(retried.body).coupon_id,
    );
  });

  it("rejects an undocumented code", () => {
    expect(() => simulator.faults.inject({ operation: "sendCoupon", fault: { errorCode: "OOPS" } })).toThrow(/OOPS/);
  });
});

describe("transport faults", () => {
  it("a lost response issues the coupon and the retry returns it", async () => {
    const outRequestNo = nextRequestNo();
    const before = simulator.state.created().coupons;
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendCoupon", fault: { lostResponse: true } });

    await expect(send(outRequestNo)).rejects.toThrow(/socket hang up|ECONNRESET/);
    const afterLoss = simulator.state.created().coupons;
    const retried = await send(outRequestNo);

    expect(afterLoss).toBe(before + 1);
    expect(retried.status).toBe(200);
    expect(simulator.state.created().coupons).toBe(before + 1);
  });

  it("delays an answer", async () => {
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendCoupon", fault: { delayMs: 200 } });

    const started = Date.now();
    const answer = await send(nextRequestNo());

    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});
