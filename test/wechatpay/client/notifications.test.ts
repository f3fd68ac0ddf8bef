import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createWechatPayClient,
  encryptAeadAes256Gcm,
  WechatPayVerificationError,
  type WechatPayClient,
  type WechatPayVerificationFailureReason,
} from "../../../src/wechatpay/index.js";
import { signedHeaders, type ResponseSigner } from "./support/fake-wechatpay.js";
import { createTestCertificate, createTestPublicKeyPair } from "./support/keys.js";
import { TEST_API_V3_KEY, createTestMerchant, merchantConfig, type TestMerchant } from "./support/merchant.js";

const PUBLIC_KEY_ID = "PUB_KEY_ID_0000000000000024101100397200000006";

let keys: TestMerchant;
let publicKeySigner: ResponseSigner;
let client: WechatPayClient;

beforeAll(async () => {
  keys = await createTestMerchant();
  const pair = await createTestPublicKeyPair();
  publicKeySigner = { serial: PUBLIC_KEY_ID, privateKey: pair.privateKey };
  // No certificate download can succeed here: nothing listens on port 9.
  client = createWechatPayClient(
    merchantConfig(keys, "http://127.0.0.1:9", { wechatPayPublicKeyId: PUBLIC_KEY_ID, wechatPayPublicKeyPem: pair.publicKeyPem }),
    { retry: { maxAttempts: 1 }, timeoutMs: 500 },
  );
});

afterAll(() => client.close());

const TRANSACTION = {
  appid: "wxd678efh567hg6787",
  mchid: "1900009191",
  out_trade_no: "1217752501201407033233368018",
  transaction_id: "1217752501201407033233368018",
  trade_type: "JSAPI",
  trade_state: "SUCCESS",
  trade_state_desc: "支付成功",
  bank_type: "CMC",
  success_time: "2018-06-08T10:34:56+08:00",
  payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
  amount: { total: 100, payer_total: 90, currency: "CNY", payer_currency: "CNY" },
  promotion_detail: [{ coupon_id: "109519", amount: 10, stock_id: "931386", scope: "GLOBAL", type: "CASH" }],
};

function notificationBody(eventType: string, resource: unknown, associatedData: string, originalType: string): Buffer {
  const envelope = {
    id: "EV-2018022511223320873",
    create_time: "2015-05-20T13:29:35+08:00",
    resource_type: "encrypt-resource",
    event_type: eventType,
    summary: "支付成功",
    resource: {
      original_type: originalType,
      algorithm: "AEAD_AES_256_GCM",
      ...encryptAeadAes256Gcm(TEST_API_V3_KEY, JSON.stringify(resource), associatedData),
    },
  };
  // Pretty-printed on purpose: verification must use these bytes, not a re-serialisation.
  return Buffer.from(JSON.stringify(envelope, null, 2), "utf8");
}

function signed(body: Buffer, signer: ResponseSigner = keys.platform, offsetSeconds = 0) {
  return { headers: signedHeaders(signer, body, { timestamp: Math.floor(Date.now() / 1000) + offsetSeconds }), rawBody: body };
}

async function expectRejected(promise: Promise<unknown>, reason: WechatPayVerificationFailureReason): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WechatPayVerificationError);
  expect((error as WechatPayVerificationError).reason).toBe(reason);
}

describe("parseNotification", () => {
  it("decrypts a payment notification", async () => {
    const body = notificationBody("TRANSACTION.SUCCESS", TRANSACTION, "transaction", "transaction");

    const notification = await client.parseNotification(signed(body));

    expect(notification.kind).toBe("transaction");
    if (notification.kind !== "transaction") return;
    expect(notification.event_type).toBe("TRANSACTION.SUCCESS");
    expect(notification.id).toBe("EV-2018022511223320873");
    expect(notification.resource.amount?.payer_total).toBe(90);
    expect(notification.resource.promotion_detail?.[0]?.coupon_id).toBe("109519");
  });

  it("decrypts refund notifications", async () => {
    const refund = {
      mchid: "1900009191",
      out_trade_no: "1217752501201407033233368018",
      transaction_id: "1217752501201407033233368018",
      out_refund_no: "1217752501201407033233368019",
      refund_id: "50000000382019052709732678859",
      refund_status: "SUCCESS",
      success_time: "2018-06-08T10:34:56+08:00",
      user_received_account: "招商银行信用卡0403",
      amount: { total: 999, refund: 999, payer_total: 999, payer_refund: 999 },
    };
    for (const eventType of ["REFUND.SUCCESS", "REFUND.ABNORMAL", "REFUND.CLOSED"]) {
      const notification = await client.parseNotification(signed(notificationBody(eventType, refund, "refund", "refund")));
      expect(notification).toMatchObject({ kind: "refund", event_type: eventType, resource: { refund_id: refund.refund_id } });
    }
  });

  it("decrypts a coupon use notification", async () => {
    const coupon = {
      stock_creator_mchid: "9800064",
      stock_id: "9865888",
      coupon_id: "98674556",
      coupon_name: "微信支付代金券",
      status: "USED",
      consume_information: { consume_time: "2015-05-20T13:29:35+08:00", consume_mchid: "9856081", transaction_id: "4200000000000001" },
    };
    const notification = await client.parseNotification(signed(notificationBody("COUPON.USE", coupon, "coupon", "coupon")));
    expect(notification).toMatchObject({ kind: "coupon_use", resource: { coupon_id: "98674556", status: "USED" } });
  });

  it("decrypts a transfer notification", async () => {
    const bill = {
      mch_id: "1900009191",
      out_bill_no: "plfk2020042013",
      transfer_bill_no: "1330000071100999991182020050700019480001",
      state: "SUCCESS",
      transfer_amount: 2000,
      openid: "o-MYE42l80oelYMDE34nYD456Xoy",
      create_time: "2015-05-20T13:29:35+08:00",
      update_time: "2015-05-20T13:29:35+08:00",
    };
    const body = notificationBody("MCHTRANSFER.BILL.FINISHED", bill, "mch_payment", "mch_payment");
    const notification = await client.parseNotification(signed(body, publicKeySigner));
    expect(notification).toMatchObject({ kind: "transfer", resource: { state: "SUCCESS", transfer_amount: 2000 } });
  });

  it("passes other verified events through", async () => {
    const body = notificationBody("COUPON.SEND", { coupon_id: "1" }, "coupon", "coupon");
    await expect(client.parseNotification(signed(body))).resolves.toMatchObject({ kind: "other", event_type: "COUPON.SEND" });
  });

  it("rejects a tampered body", async () => {
    const body = notificationBody("TRANSACTION.SUCCESS", TRANSACTION, "transaction", "transaction");
    const input = signed(body);
    const tampered = Buffer.from(body.toString("utf8").replace("支付成功", "支付失败"), "utf8");
    await expectRejected(client.parseNotification({ ...input, rawBody: tampered }), "bad-signature");
  });

  it("rejects a re-serialised body", async () => {
    const body = notificationBody("TRANSACTION.SUCCESS", TRANSACTION, "transaction", "transaction");
    const input = signed(body);
    const compact = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8"))), "utf8");
    await expectRejected(client.parseNotification({ ...input, rawBody: compact }), "bad-signature");
  });

  it("rejects an unknown serial", async () => {
    const stranger = await createTestCertificate({ serial: "7e57", commonName: "stranger" });
    const body = notificationBody("TRANSACTION.SUCCESS", TRANSACTION, "transaction", "transaction");
    await expectRejected(client.parseNotification(signed(body, stranger)), "unknown-serial");
  });

  it("rejects stale timestamps both ways", async () => {
    const body = notificationBody("TRANSACTION.SUCCESS", TRANSACTION, "transaction", "transaction");
    await expectRejected(client.parseNotification(signed(body, keys.platform, -300)), "stale-timestamp");
    await expectRejected(client.parseNotification(signed(body, keys.platform, 300)), "stale-timestamp");
  });

  it("rejects a probe", async () => {
    const body = notificationBody("TRANSACTION.SUCCESS", TRANSACTION, "transaction", "transaction");
    const headers = signedHeaders(keys.platform, body, { signatureOverride: "WECHATPAY/SIGNTEST/dGVzdA==" });
    await expectRejected(client.parseNotification({ headers, rawBody: body }), "probe");
  });

  it("rejects a bad GCM tag", async () => {
    const envelope = JSON.parse(notificationBody("TRANSACTION.SUCCESS", TRANSACTION, "transaction", "transaction").toString());
    const sealed = Buffer.from(envelope.resource.ciphertext, "base64");
    sealed[sealed.length - 1]! ^= 0xff;
    envelope.resource.ciphertext = sealed.toString("base64");
    const body = Buffer.from(JSON.stringify(envelope), "utf8");
    await expectRejected(client.parseNotification(signed(body)), "bad-tag");
  });

  it("rejects another merchant's payment", async () => {
    const body = notificationBody("TRANSACTION.SUCCESS", { ...TRANSACTION, mchid: "1230000109" }, "transaction", "transaction");
    await expectRejected(client.parseNotification(signed(body)), "merchant-mismatch");
  });

  it("rejects a body that is not a notification", async () => {
    await expectRejected(client.parseNotification(signed(Buffer.from('{"id":"x"}'))), "malformed");
    await expectRejected(client.parseNotification(signed(Buffer.from("not json"))), "malformed");
  });
});
