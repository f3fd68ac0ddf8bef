import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { createWechatPayClient, type WechatPayClient } from "../../../src/wechatpay/index.js";
import { startFakeWechatPay, type FakeHandler, type FakeWechatPay } from "./support/fake-wechatpay.js";
import { createTestMerchant, merchantConfig, requestSignatureIsValid, type TestMerchant } from "./support/merchant.js";

let keys: TestMerchant;
let server: FakeWechatPay | undefined;
let client: WechatPayClient | undefined;

beforeAll(async () => {
  keys = await createTestMerchant();
});

afterEach(async () => {
  client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function setup(handler: FakeHandler): Promise<{ server: FakeWechatPay; client: WechatPayClient }> {
  server = await startFakeWechatPay(keys.platform, handler);
  client = createWechatPayClient(merchantConfig(keys, server.url), { retry: { maxAttempts: 1 } });
  return { server, client };
}

function json(value: unknown) {
  return { status: 200, body: JSON.stringify(value) };
}

describe("payments", () => {
  it("builds requestPayment parameters", async () => {
    const { client } = await setup(() => json({}));
    const params = client.buildRequestPaymentParams("wx8888888888888888", "wx201410272009395522657a690389285100");
    expect(params).toMatchObject({ appId: "wx8888888888888888", package: "prepay_id=wx201410272009395522657a690389285100", signType: "RSA" });
    expect(params.nonceStr).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(params.timeStamp).toMatch(/^\d{10}$/);
  });
});

describe("refunds", () => {
  it("creates and queries a refund", async () => {
    const refund = {
      refund_id: "50000000382019052709732678859",
      out_refund_no: "1217752501201407033233368018",
      transaction_id: "1217752501201407033233368018",
      out_trade_no: "1217752501201407033233368018",
      status: "PROCESSING",
      amount: { total: 100, refund: 100, payer_total: 90, payer_refund: 90, currency: "CNY" },
    };
    const { server, client } = await setup(() => json(refund));

    const created = await client.createRefund({
      transaction_id: "1217752501201407033233368018",
      out_refund_no: "1217752501201407033233368018",
      reason: "商品已售完",
      amount: { refund: 100, total: 100, currency: "CNY" },
    });
    const queried = await client.queryRefund("1217752501201407033233368018");

    expect(created).toMatchObject({ ok: true, value: { status: "PROCESSING" } });
    expect(queried).toMatchObject({ ok: true, value: { refund_id: refund.refund_id } });
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST /v3/refund/domestic/refunds",
      "GET /v3/refund/domestic/refunds/1217752501201407033233368018",
    ]);
    expect(JSON.parse(server.requests[0]!.body.toString())).toMatchObject({ amount: { refund: 100, total: 100, currency: "CNY" } });
  });
});

describe("vouchers", () => {
  it("calls the four voucher endpoints", async () => {
    const { server, client } = await setup((request) => {
      if (request.url.startsWith("/v3/marketing/favor/stocks/")) {
        return json({ stock_id: "9856000", status: "running", distributed_coupons: 3, stock_use_rule: { max_coupons: 100 } });
      }
      if (request.url.includes("/coupons/")) return json({ stock_id: "9856000", coupon_id: "9867041", status: "SENDED" });
      if (request.url.endsWith("/coupons")) return json({ coupon_id: "9867041" });
      return json({ update_time: "2020-05-20T13:29:35+08:00", notify_url: "https://pay.weixin.qq.com/notify" });
    });

    const stock = await client.queryStock({ stock_id: "9856000" });
    const sent = await client.sendCoupon({
      openid: "o/+x",
      stock_id: "9856000",
      out_request_no: "89560002019101000121",
      appid: "wx233544546545989",
      stock_creator_mchid: "1900009191",
    });
    const coupon = await client.queryCoupon({ openid: "o/+x", coupon_id: "9867041", appid: "wx233544546545989" });
    const callback = await client.setCouponCallback({ notify_url: "https://pay.weixin.qq.com/notify" });

    expect(stock).toMatchObject({ ok: true, value: { status: "running", distributed_coupons: 3 } });
    expect(sent).toMatchObject({ ok: true, value: { coupon_id: "9867041" } });
    expect(coupon).toMatchObject({ ok: true, value: { status: "SENDED" } });
    expect(callback).toMatchObject({ ok: true, value: { notify_url: "https://pay.weixin.qq.com/notify" } });
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /v3/marketing/favor/stocks/9856000?stock_creator_mchid=1900009191",
      "POST /v3/marketing/favor/users/o%2F%2Bx/coupons",
      "GET /v3/marketing/favor/users/o%2F%2Bx/coupons/9867041?appid=wx233544546545989",
      "POST /v3/marketing/favor/callbacks",
    ]);
    expect(JSON.parse(server.requests[1]!.body.toString())).toEqual({
      stock_id: "9856000",
      out_request_no: "89560002019101000121",
      appid: "wx233544546545989",
      stock_creator_mchid: "1900009191",
    });
    expect(JSON.parse(server.requests[3]!.body.toString())).toEqual({
      mchid: "1900009191",
      notify_url: "https://pay.weixin.qq.com/notify",
      switch: true,
    });
    expect(server.requests.every((request) => requestSignatureIsValid(request, keys))).toBe(true);
  });
});

describe("transfers", () => {
  it("creates, queries and cancels a bill", async () => {
    const { server, client } = await setup((request) => {
      if (request.url.endsWith("/cancel")) {
        return json({ out_bill_no: "plfk2020042013", transfer_bill_no: "1330000071100999991182020050700019480001", state: "CANCELING" });
      }
      if (request.method === "GET") {
        return json({ out_bill_no: "plfk2020042013", transfer_bill_no: "1330000071100999991182020050700019480001", state: "WAIT_USER_CONFIRM", transfer_amount: 188 });
      }
      return json({
        out_bill_no: "plfk2020042013",
        transfer_bill_no: "1330000071100999991182020050700019480001",
        create_time: "2015-05-20T13:29:35+08:00",
        state: "WAIT_USER_CONFIRM",
        package_info: "affffddafdfafddffda==",
      });
    });

    const created = await client.createTransferBill({
      appid: "wxf636efh567hg4356",
      out_bill_no: "plfk2020042013",
      transfer_scene_id: "1000",
      openid: "o-MYE42l80oelYMDE34nYD456Xoy",
      transfer_amount: 188,
      transfer_remark: "新会员开通有礼",
      user_recv_perception: "现金奖励",
      transfer_scene_report_infos: [
        { info_type: "活动名称", info_content: "新会员有礼" },
        { info_type: "奖励说明", info_content: "注册会员抽奖一等奖" },
      ],
    });
    const queried = await client.queryTransferBillByOutBillNo("plfk2020042013");
    const cancelled = await client.cancelTransferBill("plfk2020042013");

    expect(created).toMatchObject({ ok: true, value: { state: "WAIT_USER_CONFIRM", package_info: "affffddafdfafddffda==" } });
    expect(queried).toMatchObject({ ok: true, value: { transfer_amount: 188 } });
    expect(cancelled).toMatchObject({ ok: true, value: { state: "CANCELING" } });
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST /v3/fund-app/mch-transfer/transfer-bills",
      "GET /v3/fund-app/mch-transfer/transfer-bills/out-bill-no/plfk2020042013",
      "POST /v3/fund-app/mch-transfer/transfer-bills/out-bill-no/plfk2020042013/cancel",
    ]);
    expect(server.requests[2]!.body.length).toBe(0);
    expect(server.requests.every((request) => requestSignatureIsValid(request, keys))).toBe(true);
  });
});
