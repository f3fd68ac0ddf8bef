import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createWechatPayClient,
  type Transaction,
  type TransferBillNotificationResource,
  type WechatPayClient,
} from "../../../src/wechatpay/index.js";
import { startSimulator, type SimulatedMerchantConfig, type WechatPaySimulator } from "../../../src/wechatpay/simulator/index.js";
import { startNotifyReceiver, type NotifyReceiver } from "./support/notify-receiver.js";

let simulator: WechatPaySimulator;
let merchant: SimulatedMerchantConfig;
let client: WechatPayClient;
let receiver: NotifyReceiver;

beforeAll(async () => {
  simulator = await startSimulator({ notifyRetryScheduleMs: [20, 20, 20] });
  merchant = await simulator.createMerchant({ balance: 1_000_000 });
  client = createWechatPayClient(merchant, { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 5000 });
  receiver = await startNotifyReceiver(() => client);
});

afterAll(async () => {
  client?.close();
  await receiver?.close();
  await simulator?.close();
});

function appid(): string {
  return merchant.appids[0]!;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; code: string; message: string }): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result.value;
}

describe("against the simulator", () => {
  it("downloads the platform certificate", async () => {
    const certificates = unwrap(await client.downloadCertificates());
    expect(certificates.map((certificate) => certificate.serial_no)).toContain(simulator.platform.certificateSerialNo);
  });

  it("pays, queries, refunds and notifies", async () => {
    const openid = simulator.customer.openid(appid());
    const outTradeNo = `order${Date.now()}`;

    const order = unwrap(
      await client.createJsapiOrder({
        appid: appid(),
        description: "测试商品",
        out_trade_no: outTradeNo,
        notify_url: receiver.url,
        amount: { total: 888, currency: "CNY" },
        payer: { openid },
      }),
    );
    const params = client.buildRequestPaymentParams(appid(), order.prepay_id);
    expect(params.package).toBe(`prepay_id=${order.prepay_id}`);

    simulator.customer.payOrder(merchant.mchid, outTradeNo);
    await simulator.notifications.waitForIdle(5000);

    const paid = unwrap(await client.queryOrderByOutTradeNo(outTradeNo));
    expect(paid).toMatchObject({ trade_state: "SUCCESS", amount: { total: 888 } });
    const notification = receiver.accepted.find(
      (item) => item.kind === "transaction" && item.resource.out_trade_no === outTradeNo,
    );
    expect(notification?.kind).toBe("transaction");
    expect((notification?.resource as Transaction | undefined)?.transaction_id).toBe(paid.transaction_id);

    const outRefundNo = `refund${Date.now()}`;
    const refund = unwrap(
      await client.createRefund({
        out_trade_no: outTradeNo,
        out_refund_no: outRefundNo,
        notify_url: receiver.url,
        amount: { refund: 300, total: 888, currency: "CNY" },
      }),
    );
    expect(refund.amount.refund).toBe(300);

    // The simulator settles a refund on the next turn of the event loop, as WeChat Pay does a moment later.
    await new Promise((resolve) => setImmediate(resolve));
    await simulator.notifications.waitForIdle(5000);
    const queried = unwrap(await client.queryRefund(outRefundNo));
    expect(queried).toMatchObject({ out_refund_no: outRefundNo, status: "SUCCESS" });
    const refunded = receiver.accepted.find((item) => item.kind === "refund" && item.resource.out_refund_no === outRefundNo);
    expect(refunded?.event_type).toBe("REFUND.SUCCESS");
  });

  it("closes an unpaid order", async () => {
    const outTradeNo = `close${Date.now()}`;
    unwrap(
      await client.createJsapiOrder({
        appid: appid(),
        description: "待关闭",
        out_trade_no: outTradeNo,
        notify_url: receiver.url,
        amount: { total: 100 },
        payer: { openid: simulator.customer.openid(appid()) },
      }),
    );

    expect(await client.closeOrder(outTradeNo)).toMatchObject({ ok: true });
    expect(unwrap(await client.queryOrderByOutTradeNo(outTradeNo)).trade_state).toBe("CLOSED");
  });

  it("sends, replays and redeems a voucher", async () => {
    const stock = simulator.createStock(merchant.mchid, {
      stock_name: "满10减1",
      coupon_amount: 100,
      transaction_minimum: 1000,
      max_coupons: 10,
      max_coupons_per_user: 2,
      status: "running",
    });
    const stockId = (stock as { stock_id: string }).stock_id;
    expect(unwrap(await client.queryStock({ stock_id: stockId }))).toMatchObject({ stock_id: stockId, status: "running" });
    unwrap(await client.setCouponCallback({ notify_url: receiver.url }));

    const openid = simulator.customer.openid(appid());
    const request = {
      openid,
      stock_id: stockId,
      out_request_no: `coupon${Date.now()}`,
      appid: appid(),
      stock_creator_mchid: merchant.mchid,
    };
    const sent = unwrap(await client.sendCoupon(request));
    const replayed = unwrap(await client.sendCoupon(request));
    expect(replayed.coupon_id).toBe(sent.coupon_id);
    expect(unwrap(await client.queryCoupon({ openid, coupon_id: sent.coupon_id, appid: appid() })).status).toBe("SENDED");

    const outTradeNo = `voucher${Date.now()}`;
    unwrap(
      await client.createJsapiOrder({
        appid: appid(),
        description: "用券",
        out_trade_no: outTradeNo,
        notify_url: receiver.url,
        amount: { total: 2000 },
        payer: { openid },
      }),
    );
    simulator.customer.payOrder(merchant.mchid, outTradeNo, { coupon_id: sent.coupon_id });
    await simulator.notifications.waitForIdle(5000);

    const used = receiver.accepted.find((item) => item.kind === "coupon_use" && item.resource.coupon_id === sent.coupon_id);
    expect(used?.kind).toBe("coupon_use");
    expect(unwrap(await client.queryCoupon({ openid, coupon_id: sent.coupon_id, appid: appid() })).status).toBe("USED");
  });

  it("sends and queries a red packet over mutual TLS", async () => {
    const openid = simulator.customer.openid(appid());
    const billno = `${merchant.mchid}${Date.now()}`.slice(0, 28);

    const sent = unwrap(
      await client.sendRedPack({
        mch_billno: billno,
        wxappid: appid(),
        send_name: "测试商户",
        re_openid: openid,
        total_amount: 188,
        wishing: "恭喜发财",
        client_ip: "127.0.0.1",
        act_name: "新春活动",
        remark: "快来抢",
      }),
    );
    expect(sent.total_amount).toBe(188);

    expect(unwrap(await client.queryRedPack({ mch_billno: billno, appid: appid() })).status).toMatch(/^(SENDING|SENT)$/);
    simulator.customer.openRedPacket(merchant.mchid, billno);
    const received = unwrap(await client.queryRedPack({ mch_billno: billno, appid: appid() }));
    expect(received).toMatchObject({ status: "RECEIVED", total_amount: 188 });
    expect(received.hblist[0]).toMatchObject({ openid, amount: 188 });
  });

  it("creates, confirms and cancels transfer bills", async () => {
    const openid = simulator.customer.openid(appid());
    const bill = (outBillNo: string) => ({
      appid: appid(),
      out_bill_no: outBillNo,
      transfer_scene_id: "1000",
      openid,
      transfer_amount: 188,
      transfer_remark: "活动奖励",
      notify_url: receiver.url,
      user_recv_perception: "现金奖励",
      transfer_scene_report_infos: [
        { info_type: "活动名称", info_content: "新会员有礼" },
        { info_type: "奖励说明", info_content: "注册会员抽奖一等奖" },
      ],
    });

    const first = `T${Date.now()}`;
    const created = unwrap(await client.createTransferBill(bill(first)));
    expect(created.state).toBe("WAIT_USER_CONFIRM");
    expect(created.package_info).toBeTruthy();

    simulator.customer.confirmTransfer(merchant.mchid, first);
    await simulator.notifications.waitForIdle(5000);
    expect(unwrap(await client.queryTransferBillByOutBillNo(first)).state).toBe("SUCCESS");
    const finished = receiver.accepted.find((item) => item.kind === "transfer" && item.resource.out_bill_no === first);
    expect(finished?.kind).toBe("transfer");
    expect((finished?.resource as TransferBillNotificationResource | undefined)?.state).toBe("SUCCESS");

    const second = `C${Date.now()}`;
    unwrap(await client.createTransferBill(bill(second)));
    const cancelled = unwrap(await client.cancelTransferBill(second));
    expect(["CANCELING", "CANCELLED"]).toContain(cancelled.state);
  });

  it("lost voucher response, then replay", async () => {
    const stock = simulator.createStock(merchant.mchid, {
      stock_name: "丢包测试",
      coupon_amount: 100,
      transaction_minimum: 1000,
      max_coupons: 10,
      max_coupons_per_user: 5,
      status: "running",
    });
    const request = {
      openid: simulator.customer.openid(appid()),
      stock_id: (stock as { stock_id: string }).stock_id,
      out_request_no: `lost${Date.now()}`,
      appid: appid(),
      stock_creator_mchid: merchant.mchid,
    };
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendCoupon", fault: { lostResponse: true } });

    const lost = await client.sendCoupon(request);
    const replayed = await client.sendCoupon(request);

    expect(lost).toMatchObject({ ok: false, outcome: "unknown", code: "CONNECTION_LOST" });
    expect(replayed.ok).toBe(true);
    expect(simulator.state.coupons({ stock_id: request.stock_id })).toHaveLength(1);
  });

  it("retries a rate-limited call with the same body", async () => {
    simulator.faults.inject({ mchid: merchant.mchid, operation: "queryStock", fault: { errorCode: "FREQUENCY_LIMITED" } });
    const stock = simulator.createStock(merchant.mchid, {
      stock_name: "限频",
      coupon_amount: 100,
      transaction_minimum: 1000,
      max_coupons: 1,
      max_coupons_per_user: 1,
      status: "running",
    });

    const result = await client.queryStock({ stock_id: (stock as { stock_id: string }).stock_id });

    expect(result.ok).toBe(true);
  });

  it("rejects forgeries and probe notifications", async () => {
    const outTradeNo = `probe${Date.now()}`;
    unwrap(
      await client.createJsapiOrder({
        appid: appid(),
        description: "探测",
        out_trade_no: outTradeNo,
        notify_url: receiver.url,
        amount: { total: 100 },
        payer: { openid: simulator.customer.openid(appid()) },
      }),
    );
    simulator.faults.inject({ mchid: merchant.mchid, operation: "queryOrder", fault: { forgeSignature: true } });
    const forged = await client.queryOrderByOutTradeNo(outTradeNo);
    expect(forged).toMatchObject({ ok: false, outcome: "retryable", code: "RESPONSE_SIGNATURE_INVALID" });

    simulator.faults.inject({ mchid: merchant.mchid, operation: "TRANSACTION.SUCCESS", fault: { signatureProbe: true } });
    simulator.customer.payOrder(merchant.mchid, outTradeNo);
    await simulator.notifications.waitForIdle(5000);

    expect(receiver.rejected).toContain("probe");
    expect(receiver.accepted.some((item) => item.kind === "transaction" && item.resource.out_trade_no === outTradeNo)).toBe(true);
  });

  it("accepts both keys during the public-key migration", async () => {
    const migrating = await simulator.createMerchant({ signingMode: "certificate" });
    const migratingClient = createWechatPayClient({
      ...migrating,
      wechatPayPublicKeyId: simulator.platform.publicKeyId,
      wechatPayPublicKeyPem: simulator.platform.publicKeyPem,
    });
    try {
      const order = {
        appid: migrating.appids[0]!,
        description: "迁移",
        notify_url: receiver.url,
        amount: { total: 1 },
        payer: { openid: simulator.customer.openid(migrating.appids[0]!) },
      };
      const before = await migratingClient.createJsapiOrder({ ...order, out_trade_no: `m1${Date.now()}` });
      simulator.setSigningMode(migrating.mchid, "publicKey");
      const after = await migratingClient.createJsapiOrder({ ...order, out_trade_no: `m2${Date.now()}` });

      expect(before.ok).toBe(true);
      expect(after.ok).toBe(true);
    } finally {
      migratingClient.close();
    }
  });

  it("works for a public-key merchant", async () => {
    const publicKeyMerchant = await simulator.createMerchant({ signingMode: "publicKey" });
    const publicKeyClient = createWechatPayClient(publicKeyMerchant);
    try {
      const result = await publicKeyClient.queryOrderByOutTradeNo("no-such-order");
      expect(result).toMatchObject({ ok: false, outcome: "definitive", httpStatus: 404 });

      const created = await publicKeyClient.createJsapiOrder({
        appid: publicKeyMerchant.appids[0]!,
        description: "公钥",
        out_trade_no: `pk${Date.now()}`,
        notify_url: receiver.url,
        amount: { total: 1 },
        payer: { openid: simulator.customer.openid(publicKeyMerchant.appids[0]!) },
      });
      expect(created.ok).toBe(true);
    } finally {
      publicKeyClient.close();
    }
  });
});
