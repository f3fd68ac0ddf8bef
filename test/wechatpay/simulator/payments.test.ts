import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatedMerchantConfig, type WechatPaySimulator } from "../../../src/wechatpay/simulator/index.js";
import { decryptResource } from "./support/decrypt.js";
import { startReceiver } from "./support/notify-receiver.js";
import { sendV3, verifyWechatpaySignature } from "./support/signed-client.js";

let simulator: WechatPaySimulator;
let merchant: SimulatedMerchantConfig;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sequence = 0;

beforeAll(async () => {
  simulator = await startSimulator({ notifyRetryScheduleMs: [20, 20, 20] });
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

function nextTradeNo(): string {
  sequence += 1;
  return `ORDER${Date.now()}${sequence}`;
}

function orderBody(outTradeNo: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appid: merchant.appids[0],
    mchid: merchant.mchid,
    description: "会员卡",
    out_trade_no: outTradeNo,
    notify_url: receiver.url,
    amount: { total: 1000, currency: "CNY" },
    payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
    ...overrides,
  };
}

async function createOrder(outTradeNo: string, overrides: Record<string, unknown> = {}) {
  return sendV3(merchant, { method: "POST", path: "/v3/pay/transactions/jsapi", body: orderBody(outTradeNo, overrides) });
}

async function queryOrder(outTradeNo: string) {
  const answer = await sendV3(merchant, { method: "GET", path: `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${merchant.mchid}` });
  return { status: answer.status, body: JSON.parse(answer.body) };
}

describe("createJsapiOrder", () => {
  it("returns a prepay_id", async () => {
    const answer = await createOrder(nextTradeNo());

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).prepay_id).toMatch(/^wx/);
  });

  it("returns the same prepay_id for a replay", async () => {
    const outTradeNo = nextTradeNo();
    const before = simulator.state.created().orders;

    const first = JSON.parse((await createOrder(outTradeNo)).body);
    const second = JSON.parse((await createOrder(outTradeNo)).body);

    expect(second.prepay_id).toBe(first.prepay_id);
    expect(simulator.state.created().orders).toBe(before + 1);
  });

  it("rejects a changed body under one out_trade_no", async () => {
    const outTradeNo = nextTradeNo();
    await createOrder(outTradeNo);

    const answer = await createOrder(outTradeNo, { amount: { total: 999, currency: "CNY" } });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).code).toBe("INVALID_REQUEST");
  });

  it("rejects an appid not bound to the merchant", async () => {
    const answer = await createOrder(nextTradeNo(), { appid: "wx0000000000000000" });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).code).toBe("APPID_MCHID_NOT_MATCH");
  });

  it("rejects a fractional amount", async () => {
    const answer = await createOrder(nextTradeNo(), { amount: { total: 110.00000000000001, currency: "CNY" } });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).code).toBe("PARAM_ERROR");
  });

  it("rejects a malformed out_trade_no", async () => {
    const tooShort = await createOrder("A1");
    const badCharacter = await createOrder("ORDER#0001");

    expect(tooShort.status).toBe(400);
    expect(badCharacter.status).toBe(400);
  });

  it("rejects a notify_url with a query", async () => {
    const answer = await createOrder(nextTradeNo(), { notify_url: `${receiver.url}?a=1` });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).detail.field).toBe("notify_url");
  });
});

describe("payOrder", () => {
  it("marks the order paid and notifies", async () => {
    const outTradeNo = nextTradeNo();
    await createOrder(outTradeNo, { attach: "campaign-7" });
    const received = receiver.received.length;

    simulator.customer.payOrder(merchant.mchid, outTradeNo);
    await simulator.notifications.waitForIdle();

    const query = await queryOrder(outTradeNo);
    expect(query.body.trade_state).toBe("SUCCESS");
    expect(query.body.amount.payer_total).toBe(1000);
    expect(query.body.attach).toBe("campaign-7");

    const notification = receiver.received[received]!;
    expect(verifyWechatpaySignature(simulator.platform, notification.headers, notification.body)).toBe(true);
    const envelope = JSON.parse(notification.body);
    expect(envelope.event_type).toBe("TRANSACTION.SUCCESS");
    expect(envelope.resource.original_type).toBe("transaction");
    const transaction = JSON.parse(decryptResource(merchant.apiV3Key, envelope.resource));
    expect(transaction.out_trade_no).toBe(outTradeNo);
    expect(transaction.transaction_id).toBe(query.body.transaction_id);
  });

  it("rejects a second payment", async () => {
    const outTradeNo = nextTradeNo();
    await createOrder(outTradeNo);
    simulator.customer.payOrder(merchant.mchid, outTradeNo);

    expect(() => simulator.customer.payOrder(merchant.mchid, outTradeNo)).toThrow(/SUCCESS/);
    expect((await createOrder(outTradeNo)).status).toBe(403);
  });
});

describe("closeOrder", () => {
  it("answers 204 and closes", async () => {
    const outTradeNo = nextTradeNo();
    await createOrder(outTradeNo);

    const answer = await sendV3(merchant, {
      method: "POST",
      path: `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`,
      body: { mchid: merchant.mchid },
    });

    expect(answer.status).toBe(204);
    expect(answer.body).toBe("");
    expect(verifyWechatpaySignature(simulator.platform, answer.headers, "")).toBe(true);
    expect((await queryOrder(outTradeNo)).body.trade_state).toBe("CLOSED");
  });

  it("returns ORDER_NOT_EXIST for an unknown order", async () => {
    const query = await queryOrder("NOSUCHORDER1");

    expect(query.status).toBe(404);
    expect(query.body.code).toBe("ORDER_NOT_EXIST");
  });
});

describe("time_expire", () => {
  it("closes the unpaid order when it passes", async () => {
    const outTradeNo = nextTradeNo();
    const expiresAt = new Date(Date.now() + 15 * 60_000 + 8 * 3_600_000).toISOString().slice(0, 19) + "+08:00";
    await createOrder(outTradeNo, { time_expire: expiresAt });

    simulator.customer.advanceTime(16 * 60_000);

    expect((await queryOrder(outTradeNo)).body.trade_state).toBe("CLOSED");
    expect(() => simulator.customer.payOrder(merchant.mchid, outTradeNo)).toThrow(/CLOSED/);
  });
});

describe("refunds", () => {
  async function paidOrder(): Promise<string> {
    const outTradeNo = nextTradeNo();
    await createOrder(outTradeNo);
    simulator.customer.payOrder(merchant.mchid, outTradeNo);
    return outTradeNo;
  }

  function refundBody(outTradeNo: string, outRefundNo: string, refund: number) {
    return { out_trade_no: outTradeNo, out_refund_no: outRefundNo, notify_url: receiver.url, amount: { refund, total: 1000, currency: "CNY" } };
  }

  it("refunds partially then fully and notifies", async () => {
    const outTradeNo = await paidOrder();
    await simulator.notifications.waitForIdle();
    const received = receiver.received.length;

    const partial = await sendV3(merchant, { method: "POST", path: "/v3/refund/domestic/refunds", body: refundBody(outTradeNo, `${outTradeNo}R1`, 300) });
    const rest = await sendV3(merchant, { method: "POST", path: "/v3/refund/domestic/refunds", body: refundBody(outTradeNo, `${outTradeNo}R2`, 700) });
    await new Promise((resolve) => setImmediate(resolve));
    await simulator.notifications.waitForIdle();

    expect(partial.status).toBe(200);
    expect(JSON.parse(partial.body).status).toBe("PROCESSING");
    expect(rest.status).toBe(200);
    expect((await queryOrder(outTradeNo)).body.trade_state).toBe("REFUND");

    const query = await sendV3(merchant, { method: "GET", path: `/v3/refund/domestic/refunds/${outTradeNo}R1` });
    expect(JSON.parse(query.body).status).toBe("SUCCESS");

    const events = receiver.received.slice(received).map((notification) => JSON.parse(notification.body));
    expect(events.map((event) => event.event_type)).toEqual(["REFUND.SUCCESS", "REFUND.SUCCESS"]);
    const resource = JSON.parse(decryptResource(merchant.apiV3Key, events[0].resource));
    expect(resource.refund_status).toBe("SUCCESS");
  });

  it("never refunds more than paid", async () => {
    const outTradeNo = await paidOrder();
    await sendV3(merchant, { method: "POST", path: "/v3/refund/domestic/refunds", body: refundBody(outTradeNo, `${outTradeNo}R1`, 600) });

    const answer = await sendV3(merchant, { method: "POST", path: "/v3/refund/domestic/refunds", body: refundBody(outTradeNo, `${outTradeNo}R2`, 401) });

    expect(answer.status).toBe(400);
    expect(simulator.state.orders(merchant.mchid).find((order) => order.out_trade_no === outTradeNo)?.refunded).toBe(600);
  });

  it("replays an out_refund_no without refunding twice", async () => {
    const outTradeNo = await paidOrder();
    const body = refundBody(outTradeNo, `${outTradeNo}R1`, 500);
    const before = simulator.state.created().refunds;

    const first = JSON.parse((await sendV3(merchant, { method: "POST", path: "/v3/refund/domestic/refunds", body })).body);
    const second = JSON.parse((await sendV3(merchant, { method: "POST", path: "/v3/refund/domestic/refunds", body })).body);

    expect(second.refund_id).toBe(first.refund_id);
    expect(simulator.state.created().refunds).toBe(before + 1);
  });
});
