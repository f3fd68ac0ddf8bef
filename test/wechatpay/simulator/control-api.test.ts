import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatedMerchantConfig, type WechatPaySimulator } from "../../../src/wechatpay/simulator/index.js";
import { rawRequest, sendV3 } from "./support/signed-client.js";

let simulator: WechatPaySimulator;

beforeAll(async () => {
  simulator = await startSimulator({ host: "::1" });
});

afterAll(async () => {
  await simulator.close();
});

async function control(method: string, path: string, body?: unknown) {
  const answer = await rawRequest(new URL(`/_simulator${path}`, simulator.apiBaseUrl), {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: answer.status, body: JSON.parse(answer.body) };
}

describe("control API", () => {
  it("listens on ::1", () => {
    expect(simulator.apiBaseUrl).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(simulator.apiV2BaseUrl).toMatch(/^https:\/\/\[::1\]:\d+$/);
  });

  it("runs a payment end to end", async () => {
    const merchant = (await control("POST", "/merchants", { balance: 5000 })).body as SimulatedMerchantConfig;
    const outTradeNo = "CONTROL000001";
    await sendV3(merchant, {
      method: "POST",
      path: "/v3/pay/transactions/jsapi",
      body: {
        appid: merchant.appids[0],
        mchid: merchant.mchid,
        description: "演示",
        out_trade_no: outTradeNo,
        notify_url: "http://127.0.0.1:9/notify",
        amount: { total: 100 },
        payer: { openid: "oUser-control" },
      },
    });

    const paid = await control("POST", "/customer/orders/pay", { mchid: merchant.mchid, out_trade_no: outTradeNo });
    const state = await control("GET", "/state");

    expect(paid.body.trade_state).toBe("SUCCESS");
    expect(state.body.created.orders).toBe(1);
    expect(state.body.orders[0].trade_state).toBe("SUCCESS");
  });

  it("creates stocks and arms faults", async () => {
    const merchant = (await control("POST", "/merchants", {})).body as SimulatedMerchantConfig;

    const stock = await control("POST", `/merchants/${merchant.mchid}/stocks`, {
      stock_name: "演示批次",
      coupon_amount: 100,
      transaction_minimum: 1000,
      max_coupons: 10,
      max_coupons_per_user: 1,
    });
    const fault = await control("POST", "/faults", { mchid: merchant.mchid, operation: "sendCoupon", fault: { errorCode: "SYSTEM_ERROR" } });
    const answer = await sendV3(merchant, {
      method: "POST",
      path: "/v3/marketing/favor/users/oUser-control/coupons",
      body: { stock_id: stock.body.stock_id, out_request_no: "CTRL1", appid: merchant.appids[0], stock_creator_mchid: merchant.mchid },
    });

    expect(stock.body.status).toBe("running");
    expect(fault.status).toBe(200);
    expect(answer.status).toBe(500);
  });

  it("reports misuse as 4xx with a message", async () => {
    const unknown = await control("POST", "/customer/orders/pay", { mchid: "1900000000", out_trade_no: "NOPE000001" });
    const badFault = await control("POST", "/faults", { operation: "nothing", fault: {} });
    const noRoute = await control("GET", "/nowhere");

    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/does not exist/);
    expect(badFault.status).toBe(400);
    expect(noRoute.status).toBe(404);
  });

  it("advances time", async () => {
    const answer = await control("POST", "/time/advance", { ms: 1000 });
    const negative = await control("POST", "/time/advance", { ms: -1 });

    expect(answer.status).toBe(200);
    expect(negative.status).toBe(400);
  });
});

describe("createMerchant", () => {
  it("rejects a taken mchid", async () => {
    await simulator.createMerchant({ mchid: "1900000109" });

    await expect(simulator.createMerchant({ mchid: "1900000109" })).rejects.toThrow(/already exists/);
  });

  it("rejects concurrent creation of one mchid", async () => {
    const results = await Promise.allSettled([simulator.createMerchant({ mchid: "1900000110" }), simulator.createMerchant({ mchid: "1900000110" })]);

    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
  });
});
