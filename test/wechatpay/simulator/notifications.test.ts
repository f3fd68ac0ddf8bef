import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatedMerchantConfig, type WechatPaySimulator } from "../../../src/wechatpay/simulator/index.js";
import { decryptResource } from "./support/decrypt.js";
import { startReceiver } from "./support/notify-receiver.js";
import { sendV3, verifyWechatpaySignature } from "./support/signed-client.js";

let simulator: WechatPaySimulator;
let merchant: SimulatedMerchantConfig;
const receivers: { close(): Promise<void> }[] = [];
let sequence = 0;

beforeAll(async () => {
  simulator = await startSimulator({ notifyRetryScheduleMs: [30, 30, 30] });
  merchant = await simulator.createMerchant();
});

afterEach(() => {
  simulator.faults.clear();
});

afterAll(async () => {
  await simulator.close();
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

/** Creates an order whose payment notification goes to notifyUrl, and pays it. */
async function payOrder(notifyUrl: string): Promise<string> {
  sequence += 1;
  const outTradeNo = `NOTIFY${Date.now()}${sequence}`;
  await sendV3(merchant, {
    method: "POST",
    path: "/v3/pay/transactions/jsapi",
    body: {
      appid: merchant.appids[0],
      mchid: merchant.mchid,
      description: "测试",
      out_trade_no: outTradeNo,
      notify_url: notifyUrl,
      amount: { total: 100 },
      payer: { openid: "oUser-notify" },
    },
  });
  simulator.customer.payOrder(merchant.mchid, outTradeNo);
  return outTradeNo;
}

function outTradeNoOf(body: string): string {
  return JSON.parse(decryptResource(merchant.apiV3Key, JSON.parse(body).resource)).out_trade_no;
}

describe("notification delivery", () => {
  it("retries until the receiver answers 200", async () => {
    const target = await receiver((index) => (index < 2 ? 500 : 200));

    await payOrder(target.url);
    await simulator.notifications.waitForIdle();

    expect(target.received).toHaveLength(3);
    const attempts = simulator.notifications.deliveries.filter((delivery) => delivery.url === target.url);
    expect(attempts.map((attempt) => [attempt.attempt, attempt.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    // Every attempt carries the same envelope with a fresh signature.
    expect(new Set(target.received.map((notification) => notification.body)).size).toBe(1);
    expect(new Set(target.received.map((notification) => notification.headers["wechatpay-nonce"])).size).toBe(3);
    for (const notification of target.received) {
      expect(verifyWechatpaySignature(simulator.platform, notification.headers, notification.body)).toBe(true);
    }
  });

  it("stops after the schedule runs out", async () => {
    const target = await receiver(() => 503);

    await payOrder(target.url);
    await simulator.notifications.waitForIdle();

    // One first attempt plus three retries.
    expect(target.received).toHaveLength(4);
  });

  it("sends the headers WeChat Pay sends", async () => {
    const target = await receiver();

    await payOrder(target.url);
    await simulator.notifications.waitForIdle();

    const [notification] = target.received;
    expect(notification!.headers["content-type"]).toBe("application/json");
    expect(notification!.headers["wechatpay-signature-type"]).toBe("WECHATPAY2-SHA256-RSA2048");
    expect(notification!.headers["wechatpay-serial"]).toBe(simulator.platform.certificateSerialNo);
    const envelope = JSON.parse(notification!.body);
    expect(envelope).toMatchObject({ resource_type: "encrypt-resource", summary: "支付成功" });
    expect(envelope.resource.algorithm).toBe("AEAD_AES_256_GCM");
  });

  it("signs with the public key after a switch", async () => {
    const switched = await simulator.createMerchant();
    simulator.setSigningMode(switched.mchid, "publicKey");
    const target = await receiver();
    await sendV3(switched, {
      method: "POST",
      path: "/v3/pay/transactions/jsapi",
      body: {
        appid: switched.appids[0],
        mchid: switched.mchid,
        description: "测试",
        out_trade_no: "SWITCHED000001",
        notify_url: target.url,
        amount: { total: 100 },
        payer: { openid: "oUser-notify" },
      },
    });

    simulator.customer.payOrder(switched.mchid, "SWITCHED000001");
    await simulator.notifications.waitForIdle();

    expect(target.received[0]!.headers["wechatpay-serial"]).toBe(simulator.platform.publicKeyId);
    expect(verifyWechatpaySignature(simulator.platform, target.received[0]!.headers, target.received[0]!.body)).toBe(true);
  });

  it("never sends to a host beyond loopback", async () => {
    await payOrder("https://merchant.example.com/wxpay/notify");
    await simulator.notifications.waitForIdle();

    const attempt = simulator.notifications.deliveries.find((delivery) => delivery.url === "https://merchant.example.com/wxpay/notify");
    expect(attempt?.statusCode).toBeNull();
    expect(attempt?.error).toMatch(/not a loopback/);
  });
});

describe("notification faults", () => {
  it("duplicates a delivery", async () => {
    const target = await receiver();
    simulator.faults.inject({ mchid: merchant.mchid, operation: "TRANSACTION.SUCCESS", fault: { duplicate: true } });

    await payOrder(target.url);
    await simulator.notifications.waitForIdle();

    expect(target.received).toHaveLength(2);
    expect(JSON.parse(target.received[0]!.body).id).toBe(JSON.parse(target.received[1]!.body).id);
  });

  it("forges the first signature, then signs the retry", async () => {
    const target = await receiver((_index, notification) =>
      verifyWechatpaySignature(simulator.platform, notification.headers, notification.body) ? 204 : 401,
    );
    simulator.faults.inject({ mchid: merchant.mchid, operation: "notify", fault: { forgeSignature: true } });

    await payOrder(target.url);
    await simulator.notifications.waitForIdle();

    const attempts = simulator.notifications.deliveries.filter((delivery) => delivery.url === target.url);
    expect(attempts.map((attempt) => [attempt.signature, attempt.statusCode])).toEqual([
      ["forged", 401],
      ["genuine", 204],
    ]);
  });

  it("sends a signature probe", async () => {
    const target = await receiver(() => 401);
    simulator.faults.inject({ mchid: merchant.mchid, operation: "notify", fault: { signatureProbe: true } });

    await payOrder(target.url);
    await simulator.notifications.flush();

    expect(String(target.received[0]!.headers["wechatpay-signature"])).toMatch(/^WECHATPAY\/SIGNTEST\//);
  });

  it("delays a delivery", async () => {
    const target = await receiver();
    simulator.faults.inject({ mchid: merchant.mchid, operation: "notify", fault: { delayMs: 150 } });

    await payOrder(target.url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const early = target.received.length;
    await simulator.notifications.waitForIdle();

    expect(early).toBe(0);
    expect(target.received).toHaveLength(1);
  });

  it("delivers out of order", async () => {
    const target = await receiver();
    simulator.faults.inject({ mchid: merchant.mchid, operation: "notify", fault: { outOfOrder: true } });

    const first = await payOrder(target.url);
    const second = await payOrder(target.url);
    await simulator.notifications.waitForIdle();
    await simulator.notifications.flush();

    expect(target.received.map((notification) => outTradeNoOf(notification.body))).toEqual([second, first]);
  });

  it("rejects a fault for an unknown operation", () => {
    expect(() => simulator.faults.inject({ operation: "sendMoney" as "sendCoupon", fault: { delayMs: 1 } })).toThrow(/unknown fault operation/);
  });
});
