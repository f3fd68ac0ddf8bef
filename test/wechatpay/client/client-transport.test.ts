import type { AddressInfo } from "node:net";
import net from "node:net";

import { afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  createWechatPayClient,
  encryptAeadAes256Gcm,
  TokenBucket,
  WechatPayProgrammingError,
  type WechatPayClient,
  type WechatPayClientOptions,
  type WechatPayFailure,
  type WechatPayLogger,
  type WechatPayResult,
  type WechatPayMerchantConfig,
} from "../../../src/wechatpay/index.js";
import { startFakeWechatPay, type FakeHandler, type FakeWechatPay } from "./support/fake-wechatpay.js";
import { createTestCertificate, createTestPublicKeyPair } from "./support/keys.js";
import {
  TEST_API_V3_KEY,
  createTestMerchant,
  merchantConfig,
  parseAuthorization,
  requestSignatureIsValid,
  type TestMerchant,
} from "./support/merchant.js";

let keys: TestMerchant;
const servers: FakeWechatPay[] = [];
const clients: WechatPayClient[] = [];

beforeAll(async () => {
  keys = await createTestMerchant();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function failureOf<T>(result: WechatPayResult<T>): WechatPayFailure {
  expect(result.ok).toBe(false);
  return result as WechatPayFailure;
}

const FAST_RETRY: WechatPayClientOptions["retry"] = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

async function setup(
  handler: FakeHandler,
  options: WechatPayClientOptions = {},
  configOverrides: Partial<WechatPayMerchantConfig> = {},
): Promise<{ server: FakeWechatPay; client: WechatPayClient }> {
  const server = await startFakeWechatPay(keys.platform, handler);
  servers.push(server);
  const client = createWechatPayClient(merchantConfig(keys, server.url, configOverrides), { retry: FAST_RETRY, ...options });
  clients.push(client);
  return { server, client };
}

const ORDER = {
  appid: "wxd678efh567hg6787",
  description: "Image形象店-深圳腾大-QQ公仔",
  out_trade_no: "1217752501201407033233368018",
  notify_url: "https://www.weixin.qq.com/wxpay/pay.php",
  amount: { total: 100, currency: "CNY" as const },
  payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
};

const COUPON = {
  openid: "2323dfsdf342342",
  stock_id: "9856000",
  out_request_no: "89560002019101000121",
  appid: "wx233544546545989",
  stock_creator_mchid: "1900009191",
};

const TRANSFER = {
  appid: "wxf636efh567hg4356",
  out_bill_no: "plfk2020042013",
  transfer_scene_id: "1000",
  openid: "o-MYE42l80oelYMDE34nYD456Xoy",
  transfer_amount: 400000,
  transfer_remark: "新会员开通有礼",
  user_recv_perception: "现金奖励",
  transfer_scene_report_infos: [
    { info_type: "活动名称", info_content: "新会员有礼" },
    { info_type: "奖励说明", info_content: "注册会员抽奖一等奖" },
  ],
};

describe("APIv3 requests", () => {
  it("signs the exact bytes and sends the protocol headers", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: '{"prepay_id":"wx26112221580621e9b071c00d9e093b0000"}' }));

    const result = await client.createJsapiOrder(ORDER);

    expect(result).toEqual({
      ok: true,
      value: { prepay_id: "wx26112221580621e9b071c00d9e093b0000" },
      requestId: "test-request-1",
    });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v3/pay/transactions/jsapi");
    expect(request?.headers.accept).toBe("application/json");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toMatch(/Node\/v\d+/);
    expect(requestSignatureIsValid(request!, keys)).toBe(true);
    expect(parseAuthorization(request?.headers.authorization).mchid).toBe("1900009191");
    expect(JSON.parse(request!.body.toString("utf8"))).toMatchObject({ mchid: "1900009191", out_trade_no: ORDER.out_trade_no, amount: { total: 100 } });
  });

  it("signs the encoded path and query", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: '{"trade_state":"NOTPAY","out_trade_no":"a b"}' }));

    const result = await client.queryOrderByOutTradeNo("a b/c");

    expect(result.ok).toBe(true);
    expect(server.requests[0]?.url).toBe("/v3/pay/transactions/out-trade-no/a%20b%2Fc?mchid=1900009191");
    expect(server.requests[0]?.body.length).toBe(0);
    expect(requestSignatureIsValid(server.requests[0]!, keys)).toBe(true);
  });

  it("verifies a 204 against an empty body", async () => {
    const { server, client } = await setup(() => ({ status: 204 }));

    const result = await client.closeOrder("1217752501201407033233368018");

    expect(result).toEqual({ ok: true, value: undefined, requestId: "test-request-1" });
    expect(server.requests[0]?.url).toBe("/v3/pay/transactions/out-trade-no/1217752501201407033233368018/close");
    expect(server.requests[0]?.body.toString()).toBe('{"mchid":"1900009191"}');
  });

  it("throws before sending a fractional amount", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: "{}" }));

    expect(() => client.createJsapiOrder({ ...ORDER, amount: { total: 1.1 * 100 } })).toThrow(WechatPayProgrammingError);
    expect(() => client.createJsapiOrder({ ...ORDER, amount: { total: Number.MAX_SAFE_INTEGER + 1 } })).toThrow(
      WechatPayProgrammingError,
    );
    expect(() => client.createTransferBill({ ...TRANSFER, transfer_amount: 0.5 })).toThrow(WechatPayProgrammingError);
    expect(() =>
      client.createRefund({ out_trade_no: "x", out_refund_no: "r", amount: { refund: 10, total: 9.99, currency: "CNY" } }),
    ).toThrow(WechatPayProgrammingError);
    expect(() => client.sendCoupon({ ...COUPON, coupon_value: -1 })).toThrow(WechatPayProgrammingError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("response verification", () => {
  it("bad signature on a write is unknown", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: '{"prepay_id":"x"}', signatureOverride: "AAAA" }));

    const result = await client.createJsapiOrder(ORDER);

    expect(result).toMatchObject({ ok: false, outcome: "unknown", code: "RESPONSE_SIGNATURE_INVALID", httpStatus: 200 });
    expect(server.requests).toHaveLength(1);
  });

  it("rejects a probe response", async () => {
    const { client } = await setup(() => ({
      status: 200,
      body: '{"trade_state":"SUCCESS"}',
      signatureOverride: "WECHATPAY/SIGNTEST/c2lnbmF0dXJl",
    }));

    const result = await client.queryOrderByOutTradeNo("1217752501201407033233368018");

    expect(result).toMatchObject({ ok: false, outcome: "retryable", code: "RESPONSE_SIGNATURE_INVALID" });
    expect(failureOf(result).message).toContain("probe");
  });

  it("rejects a stale response", async () => {
    const { client } = await setup(() => ({ status: 200, body: '{"trade_state":"SUCCESS"}', timestampOffsetSeconds: -400 }));

    const result = await client.queryOrderByOutTradeNo("1217752501201407033233368018");

    expect(failureOf(result).message).toContain("stale-timestamp");
  });

  it("rejects unsigned responses", async () => {
    const { client } = await setup(() => ({ status: 200, body: '{"coupon_id":"1"}', signer: false }));

    const result = await client.sendCoupon(COUPON);

    expect(result).toMatchObject({ ok: false, outcome: "unknown", code: "RESPONSE_SIGNATURE_INVALID" });
  });

  it("verifies public-key signatures", async () => {
    const pair = await createTestPublicKeyPair();
    const publicKeyId = "PUB_KEY_ID_0000000000000024101100397200000006";
    const server = await startFakeWechatPay({ serial: publicKeyId, privateKey: pair.privateKey }, () => ({
      status: 200,
      body: '{"coupon_id":"9867041"}',
    }));
    servers.push(server);
    const client = createWechatPayClient(
      merchantConfig(keys, server.url, {
        platformCertificatePems: [],
        wechatPayPublicKeyId: publicKeyId,
        wechatPayPublicKeyPem: pair.publicKeyPem,
      }),
    );
    clients.push(client);

    const result = await client.sendCoupon(COUPON);

    expect(result).toMatchObject({ ok: true, value: { coupon_id: "9867041" } });
    expect(server.requests[0]?.headers["wechatpay-serial"]).toBe(publicKeyId);
  });
});

describe("retries", () => {
  it("resends identical bytes after 429", async () => {
    let calls = 0;
    const { server, client } = await setup(() => {
      calls += 1;
      return calls === 1
        ? { status: 429, body: '{"code":"FREQUENCY_LIMITED","message":"Frequency limited"}' }
        : { status: 200, body: '{"coupon_id":"9867041"}' };
    });

    const result = await client.sendCoupon(COUPON);

    expect(result).toMatchObject({ ok: true, value: { coupon_id: "9867041" }, requestId: "test-request-2" });
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(second!.body.equals(first!.body)).toBe(true);
    expect(JSON.parse(second!.body.toString()).out_request_no).toBe(COUPON.out_request_no);
    expect(second!.url).toBe(`/v3/marketing/favor/users/${COUPON.openid}/coupons`);
    expect(parseAuthorization(second!.headers.authorization).nonce_str).not.toBe(
      parseAuthorization(first!.headers.authorization).nonce_str,
    );
    expect(requestSignatureIsValid(second!, keys)).toBe(true);
  });

  it("gives up after the attempt limit on 5xx", async () => {
    const { server, client } = await setup(() => ({ status: 500, body: '{"code":"SYSTEM_ERROR","message":"系统繁忙,请稍后重试"}' }));

    const result = await client.createRefund({
      out_trade_no: "1217752501201407033233368018",
      out_refund_no: "1217752501201407033233368019",
      amount: { refund: 100, total: 100, currency: "CNY" },
    });

    expect(result).toEqual({
      ok: false,
      outcome: "retryable",
      code: "SYSTEM_ERROR",
      message: "系统繁忙,请稍后重试",
      httpStatus: 500,
      requestId: "test-request-3",
    });
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((request) => request.body.toString())).size).toBe(1);
  });

  it("does not retry a transfer after 5xx", async () => {
    const { server, client } = await setup(() => ({ status: 500, body: '{"code":"SYSTEM_ERROR","message":"busy"}' }));

    const result = await client.createTransferBill(TRANSFER);

    expect(result).toMatchObject({ ok: false, outcome: "unknown", code: "SYSTEM_ERROR", httpStatus: 500 });
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry a definitive error", async () => {
    const { server, client } = await setup(() => ({ status: 403, body: '{"code":"NOT_ENOUGH","message":"批次预算不足"}' }));

    const result = await client.sendCoupon(COUPON);

    expect(result).toMatchObject({ ok: false, outcome: "definitive", code: "NOT_ENOUGH", httpStatus: 403 });
    expect(server.requests).toHaveLength(1);
  });

  it("reports a timed-out write as unknown", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: '{"coupon_id":"1"}', delayMs: 500 }), { timeoutMs: 100 });

    const result = await client.sendCoupon(COUPON);

    expect(result).toMatchObject({ ok: false, outcome: "unknown", code: "TIMEOUT" });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a timed-out read", async () => {
    let calls = 0;
    const { server, client } = await setup(
      () => {
        calls += 1;
        return { status: 200, body: '{"trade_state":"SUCCESS"}', delayMs: calls === 1 ? 500 : 0 };
      },
      { timeoutMs: 100 },
    );

    const result = await client.queryOrderByOutTradeNo("1217752501201407033233368018");

    expect(result).toMatchObject({ ok: true, value: { trade_state: "SUCCESS" } });
    expect(server.requests).toHaveLength(2);
  });

  it("lost write response is unknown", async () => {
    const { server, client } = await setup(() => ({ status: 200, destroy: true }));

    const result = await client.createTransferBill(TRANSFER);

    expect(result).toMatchObject({ ok: false, outcome: "unknown", code: "CONNECTION_LOST" });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a lost read response", async () => {
    let calls = 0;
    const { server, client } = await setup(() => {
      calls += 1;
      return calls === 1 ? { status: 200, destroy: true } : { status: 200, body: '{"out_bill_no":"plfk2020042013","state":"SUCCESS"}' };
    });

    const result = await client.queryTransferBillByOutBillNo("plfk2020042013");

    expect(result).toMatchObject({ ok: true, value: { state: "SUCCESS" } });
    expect(server.requests).toHaveLength(2);
  });

  it("reports a refused connection as retryable", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const client = createWechatPayClient(merchantConfig(keys, `http://127.0.0.1:${closedPort}`), { retry: FAST_RETRY });
    clients.push(client);

    const result = await client.createTransferBill(TRANSFER);

    expect(result).toMatchObject({ ok: false, outcome: "retryable", code: "CONNECTION_FAILED" });
  });

  it("stops when the caller aborts", async () => {
    const { client } = await setup(() => ({ status: 200, body: '{"coupon_id":"1"}', delayMs: 300 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const result = await client.sendCoupon(COUPON, { signal: controller.signal });

    expect(result).toMatchObject({ ok: false, outcome: "unknown", code: "ABORTED" });
  });
});

describe("rate limits", () => {
  it("spaces voucher sends to the configured rate", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: '{"coupon_id":"1"}' }), {
      rateLimits: { voucherSend: { limit: 10, intervalMs: 1000, burst: 1 } },
    });
    const startedAt = Date.now();

    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => client.sendCoupon({ ...COUPON, out_request_no: `rate${n}` })),
    );

    expect(results.every((result) => result.ok)).toBe(true);
    expect(server.requests).toHaveLength(4);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(280);
  });

  it("gives up waiting at the timeout without sending", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: '{"coupon_id":"1"}' }), {
      rateLimits: { voucherSend: { limit: 1, intervalMs: 10_000, burst: 1 } },
      timeoutMs: 100,
      retry: { maxAttempts: 1 },
    });

    const first = await client.sendCoupon(COUPON);
    const second = await client.sendCoupon(COUPON);

    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, outcome: "retryable", code: "TIMEOUT" });
    expect(server.requests).toHaveLength(1);
  });
});

describe("platform certificates", () => {
  function certificateList(certificates: Array<{ serial: string; certificatePem: string }>): string {
    return JSON.stringify({
      data: certificates.map((certificate) => ({
        serial_no: certificate.serial,
        effective_time: "2024-01-01T00:00:00+08:00",
        expire_time: "2029-01-01T00:00:00+08:00",
        encrypt_certificate: {
          algorithm: "AEAD_AES_256_GCM",
          ...encryptAeadAes256Gcm(TEST_API_V3_KEY, certificate.certificatePem, "certificate"),
        },
      })),
    });
  }

  it("downloads and decrypts certificates", async () => {
    const { client } = await setup(() => ({ status: 200, body: certificateList([keys.platform]) }), {}, { platformCertificatePems: [] });

    const result = await client.downloadCertificates();

    expect(result.ok).toBe(true);
    const certificates = result.ok ? result.value : [];
    expect(certificates.map((certificate) => certificate.serial_no)).toEqual([keys.platform.serial]);
    expect(certificates[0]?.certificate_pem).toBe(keys.platform.certificatePem);
  });

  it("refreshes once on an unknown serial, then verifies", async () => {
    const { server, client } = await setup(
      (request) =>
        request.url === "/v3/certificates"
          ? { status: 200, body: certificateList([keys.platform]) }
          : { status: 200, body: '{"trade_state":"SUCCESS"}' },
      {},
      { platformCertificatePems: [] },
    );

    const first = await client.queryOrderByOutTradeNo("1217752501201407033233368018");
    const second = await client.queryOrderByOutTradeNo("1217752501201407033233368018");

    expect(first.ok).toBe(true);
    expect(second.ok).toBe(true);
    expect(server.requests.map((request) => request.url.split("?")[0])).toEqual([
      "/v3/pay/transactions/out-trade-no/1217752501201407033233368018",
      "/v3/certificates",
      "/v3/pay/transactions/out-trade-no/1217752501201407033233368018",
    ]);
  });

  it("downloads at most once per interval for a serial it cannot find", async () => {
    const stranger = await createTestCertificate({ serial: "0badc0de0badc0de", commonName: "stranger" });
    const { server, client } = await setup(
      (request) =>
        request.url === "/v3/certificates"
          ? { status: 200, body: certificateList([keys.platform]) }
          : { status: 200, body: '{"trade_state":"SUCCESS"}', signer: stranger },
      { retry: { maxAttempts: 1 } },
    );

    const first = await client.queryOrderByOutTradeNo("1");
    const second = await client.queryOrderByOutTradeNo("1");

    expect(failureOf(first).message).toContain("unknown-serial");
    expect(failureOf(second).message).toContain("unknown-serial");
    expect(server.requests.filter((request) => request.url === "/v3/certificates")).toHaveLength(1);
  });

  it("rejects a certificate list under a wrong APIv3 key", async () => {
    const { client } = await setup(() => ({ status: 200, body: certificateList([keys.platform]) }), {}, {
      platformCertificatePems: [],
      apiV3Key: "vutsrqponmlkjihgfedcba9876543210",
    });

    const result = await client.downloadCertificates();

    expect(result).toMatchObject({ ok: false, code: "RESPONSE_SIGNATURE_INVALID" });
    expect(failureOf(result).message).toContain("bad-tag");
  });
});

describe("logging", () => {
  it("logs request ids and no secrets", async () => {
    const lines: Array<{ level: string; bindings: object; message?: string }> = [];
    const capture = (level: string) => (bindings: object, message?: string) => lines.push({ level, bindings, message });
    const logger: WechatPayLogger = {
      debug: capture("debug"),
      info: capture("info"),
      warn: capture("warn"),
      error: capture("error"),
    };
    let calls = 0;
    const { server, client } = await setup(
      () => {
        calls += 1;
        return calls === 1 ? { status: 503, body: '{"code":"SERVICE_UNAVAILABLE","message":"x"}' } : { status: 200, body: '{"coupon_id":"1"}' };
      },
      { logger },
    );

    await client.sendCoupon(COUPON);

    const text = JSON.stringify(lines);
    expect(lines.some((line) => (line.bindings as { requestId?: string }).requestId === "test-request-2")).toBe(true);
    expect(lines.some((line) => line.level === "warn" && (line.bindings as { code?: string }).code === "SERVICE_UNAVAILABLE")).toBe(true);
    const authorization = parseAuthorization(server.requests[0]?.headers.authorization);
    for (const secret of [TEST_API_V3_KEY, keys.merchant.privateKeyPem.slice(40, 80), authorization.signature!, "WECHATPAY2-SHA256-RSA2048"]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("configuration", () => {
  it("rejects plain http to a non-loopback host", () => {
    expect(() => createWechatPayClient(merchantConfig(keys, "http://api.example.test"))).toThrow(WechatPayProgrammingError);
  });

  it("rejects a short APIv3 key", () => {
    expect(() => createWechatPayClient(merchantConfig(keys, "http://127.0.0.1:1", { apiV3Key: "short" }))).toThrow(
      WechatPayProgrammingError,
    );
  });

  it("keeps credentials off the client object", () => {
    const client = createWechatPayClient(merchantConfig(keys, "http://127.0.0.1:1"));
    clients.push(client);
    expect(JSON.stringify(client)).not.toContain(TEST_API_V3_KEY);
    expect(Object.keys(client)).not.toContain("config");
  });
});

describe("TokenBucket", () => {
  it("rejects a queued waiter on abort", async () => {
    const bucket = new TokenBucket({ limit: 1, intervalMs: 60_000, burst: 1 });
    await bucket.acquire();
    const ahead = new AbortController();
    const first = bucket.acquire(ahead.signal);
    const startedAt = Date.now();

    const second = bucket.acquire(AbortSignal.timeout(50));

    await expect(second).rejects.toThrow(/rate limiter/);
    expect(Date.now() - startedAt).toBeLessThan(1000);
    ahead.abort();
    await expect(first).rejects.toThrow(/rate limiter/);
  });

  it("refills at the configured rate", async () => {
    let now = 0;
    const bucket = new TokenBucket({ limit: 2, intervalMs: 1000, burst: 2 }, () => now);
    await bucket.acquire();
    await bucket.acquire();
    now = 500;

    await bucket.acquire();

    now = 600;
    const waiting = bucket.acquire(AbortSignal.timeout(30));
    await expect(waiting).rejects.toThrow();
  });
});
