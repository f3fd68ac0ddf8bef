import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatedMerchantConfig, type WechatPaySimulator } from "../../../src/wechatpay/simulator/index.js";
import { decryptResource } from "./support/decrypt.js";
import { startReceiver } from "./support/notify-receiver.js";
import { sendV3 } from "./support/signed-client.js";

let simulator: WechatPaySimulator;
let merchant: SimulatedMerchantConfig;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sequence = 0;

beforeAll(async () => {
  simulator = await startSimulator({ notifyRetryScheduleMs: [20, 20] });
  merchant = await simulator.createMerchant();
  receiver = await startReceiver();
});

afterEach(() => {
  simulator.faults.clear();
});

afterAll(async () => {
  await simulator.close();
  await receiver.close();
});

function nextRequestNo(): string {
  sequence += 1;
  return `${merchant.mchid}${Date.now()}${sequence}`;
}

function newStock(overrides: Partial<Parameters<WechatPaySimulator["createStock"]>[1]> = {}) {
  return simulator.createStock(merchant.mchid, {
    stock_name: "新会员满100减10",
    coupon_amount: 1000,
    transaction_minimum: 10000,
    max_coupons: 3,
    max_coupons_per_user: 2,
    ...overrides,
  });
}

function send(stockId: string, openid: string, outRequestNo = nextRequestNo()) {
  return sendV3(merchant, {
    method: "POST",
    path: `/v3/marketing/favor/users/${openid}/coupons`,
    body: { stock_id: stockId, out_request_no: outRequestNo, appid: merchant.appids[0], stock_creator_mchid: merchant.mchid },
  });
}

function parsed(answer: { status: number; body: string }): { status: number; code?: string; coupon_id?: string } {
  const body = JSON.parse(answer.body);
  return { status: answer.status, code: body.code, coupon_id: body.coupon_id };
}

describe("sendCoupon", () => {
  it("issues a voucher the stock then reports", async () => {
    const stock = newStock();
    const openid = simulator.customer.openid(merchant.appids[0]!);

    const answer = parsed(await send(stock.stock_id as string, openid));
    const query = await sendV3(merchant, {
      method: "GET",
      path: `/v3/marketing/favor/stocks/${stock.stock_id}?stock_creator_mchid=${merchant.mchid}`,
    });
    const coupon = await sendV3(merchant, {
      method: "GET",
      path: `/v3/marketing/favor/users/${openid}/coupons/${answer.coupon_id}?appid=${merchant.appids[0]}`,
    });

    expect(answer.status).toBe(200);
    expect(JSON.parse(query.body).distributed_coupons).toBe(1);
    expect(JSON.parse(coupon.body).status).toBe("SENDED");
  });

  it("returns the original coupon_id for a replay", async () => {
    const stock = newStock({ max_coupons_per_user: 1 });
    const outRequestNo = nextRequestNo();
    const before = simulator.state.created().coupons;

    const first = parsed(await send(stock.stock_id as string, "oUser-replay", outRequestNo));
    const replay = parsed(await send(stock.stock_id as string, "oUser-replay", outRequestNo));

    expect(replay).toEqual(first);
    expect(simulator.state.created().coupons).toBe(before + 1);
  });

  it("answers RULE_LIMIT at the per-user cap", async () => {
    const stock = newStock({ max_coupons_per_user: 1 });
    await send(stock.stock_id as string, "oUser-cap");

    const second = parsed(await send(stock.stock_id as string, "oUser-cap"));

    expect(second).toMatchObject({ status: 403, code: "RULE_LIMIT" });
  });

  it("answers NOT_ENOUGH when the stock is used up", async () => {
    const stock = newStock({ max_coupons: 1 });
    await send(stock.stock_id as string, "oUser-a");

    const second = parsed(await send(stock.stock_id as string, "oUser-b"));

    expect(second).toMatchObject({ status: 403, code: "NOT_ENOUGH" });
  });

  it("answers NOT_ENOUGH past the daily budget", async () => {
    const stock = newStock({ max_coupons: 10, max_amount_by_day: 1000, max_coupons_per_user: 5 });
    await send(stock.stock_id as string, "oUser-daily");

    const sameDay = parsed(await send(stock.stock_id as string, "oUser-daily"));
    simulator.advanceTime(86_400_000);
    const nextDay = parsed(await send(stock.stock_id as string, "oUser-daily"));

    expect(sameDay).toMatchObject({ status: 403, code: "NOT_ENOUGH" });
    expect(nextDay.status).toBe(200);
  });

  it("rejects a paused stock with PARAM_ERROR", async () => {
    const stock = newStock({ status: "paused" });

    const answer = parsed(await send(stock.stock_id as string, "oUser-paused"));

    expect(answer).toMatchObject({ status: 400, code: "PARAM_ERROR" });
  });

  it("rejects a stock outside its window with INVALID_REQUEST", async () => {
    const future = new Date(Date.now() + 30 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 19) + "+08:00";
    const stock = newStock({ start_time: future });

    const answer = parsed(await send(stock.stock_id as string, "oUser-early"));

    expect(answer).toMatchObject({ status: 400, code: "INVALID_REQUEST" });
  });

  it("answers RESOURCE_NOT_EXISTS for an unknown stock", async () => {
    const answer = parsed(await send("99999999999", "oUser-unknown"));

    expect(answer).toMatchObject({ status: 404, code: "RESOURCE_NOT_EXISTS" });
  });

  it("rejects an openid issued under another appid", async () => {
    const other = await simulator.createMerchant();
    const stock = newStock();
    const foreignOpenid = simulator.customer.openid(other.appids[0]!);

    const answer = parsed(await send(stock.stock_id as string, foreignOpenid));

    expect(answer).toMatchObject({ status: 400, code: "INVALID_REQUEST" });
  });

  it("serialised sends to one openid never hit the concurrency fault", async () => {
    const stock = newStock({ max_coupons_per_user: 3 });
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendCoupon", fault: { concurrentRuleLimit: true } });

    const first = parsed(await send(stock.stock_id as string, "oUser-serial"));
    const second = parsed(await send(stock.stock_id as string, "oUser-serial"));

    expect([first.status, second.status]).toEqual([200, 200]);
  });

  it("concurrent sends to one openid answer RULE_LIMIT under the fault", async () => {
    const stock = newStock({ max_coupons_per_user: 3 });
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendCoupon", fault: { concurrentRuleLimit: true } });

    const answers = (await Promise.all([send(stock.stock_id as string, "oUser-race"), send(stock.stock_id as string, "oUser-race")])).map(parsed);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403]);
    expect(answers.find((answer) => answer.status === 403)?.code).toBe("RULE_LIMIT");
  });

  it("concurrent sends to one openid succeed without the fault", async () => {
    const stock = newStock({ max_coupons_per_user: 3 });

    const answers = (await Promise.all([send(stock.stock_id as string, "oUser-calm"), send(stock.stock_id as string, "oUser-calm")])).map(parsed);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  });
});

describe("coupon redemption", () => {
  it("puts the voucher in promotion_detail and sends COUPON.USE", async () => {
    const stock = newStock();
    const openid = simulator.customer.openid(merchant.appids[0]!);
    const couponId = parsed(await send(stock.stock_id as string, openid)).coupon_id!;
    await sendV3(merchant, { method: "POST", path: "/v3/marketing/favor/callbacks", body: { mchid: merchant.mchid, notify_url: receiver.url } });
    const outTradeNo = `COUPONPAY${Date.now()}`;
    await sendV3(merchant, {
      method: "POST",
      path: "/v3/pay/transactions/jsapi",
      body: {
        appid: merchant.appids[0],
        mchid: merchant.mchid,
        description: "购物",
        out_trade_no: outTradeNo,
        notify_url: receiver.url,
        amount: { total: 12000 },
        payer: { openid },
      },
    });
    const received = receiver.received.length;

    const transaction = simulator.customer.payOrder(merchant.mchid, outTradeNo, { coupon_id: couponId });
    await simulator.notifications.waitForIdle();

    expect(transaction.promotion_detail).toEqual([expect.objectContaining({ coupon_id: couponId, amount: 1000, stock_id: stock.stock_id })]);
    expect((transaction.amount as { payer_total: number }).payer_total).toBe(11000);

    const events = receiver.received.slice(received).map((notification) => JSON.parse(notification.body));
    expect(events.map((event) => event.event_type).sort()).toEqual(["COUPON.USE", "TRANSACTION.SUCCESS"]);
    const couponEvent = events.find((event) => event.event_type === "COUPON.USE");
    const coupon = JSON.parse(decryptResource(merchant.apiV3Key, couponEvent.resource));
    expect(coupon.status).toBe("USED");
    expect(coupon.consume_information.transaction_id).toBe(transaction.transaction_id);
    expect(simulator.state.coupons({ openid })[0]?.status).toBe("USED");
  });

  it("refuses a voucher below its threshold", async () => {
    const stock = newStock();
    const couponId = parsed(await send(stock.stock_id as string, "oUser-threshold")).coupon_id!;
    const outTradeNo = `SMALLPAY${Date.now()}`;
    await sendV3(merchant, {
      method: "POST",
      path: "/v3/pay/transactions/jsapi",
      body: {
        appid: merchant.appids[0],
        mchid: merchant.mchid,
        description: "购物",
        out_trade_no: outTradeNo,
        notify_url: receiver.url,
        amount: { total: 5000 },
        payer: { openid: "oUser-threshold" },
      },
    });

    expect(() => simulator.customer.payOrder(merchant.mchid, outTradeNo, { coupon_id: couponId })).toThrow(/threshold/);
  });
});

describe("favor callbacks", () => {
  it("stores and returns the URL", async () => {
    await sendV3(merchant, { method: "POST", path: "/v3/marketing/favor/callbacks", body: { mchid: merchant.mchid, notify_url: receiver.url } });

    const answer = await sendV3(merchant, { method: "GET", path: `/v3/marketing/favor/callbacks?mchid=${merchant.mchid}` });

    expect(JSON.parse(answer.body)).toEqual({ mchid: merchant.mchid, notify_url: receiver.url });
  });
});
