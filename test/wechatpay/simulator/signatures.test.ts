import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatedMerchantConfig, type WechatPaySimulator } from "../../../src/wechatpay/simulator/index.js";
import { decryptResource } from "./support/decrypt.js";
import { rawRequest, sendV3, verifyWechatpaySignature } from "./support/signed-client.js";

let simulator: WechatPaySimulator;
let merchant: SimulatedMerchantConfig;
let publicKeyMerchant: SimulatedMerchantConfig;

beforeAll(async () => {
  simulator = await startSimulator();
  merchant = await simulator.createMerchant();
  publicKeyMerchant = await simulator.createMerchant({ signingMode: "publicKey" });
});

afterAll(async () => {
  await simulator.close();
});

const certificatesPath = "/v3/certificates";

describe("request signature", () => {
  it("accepts a correctly signed request", async () => {
    const answer = await sendV3(merchant, { method: "GET", path: certificatesPath });

    expect(answer.status).toBe(200);
    expect(verifyWechatpaySignature(simulator.platform, answer.headers, answer.body)).toBe(true);
    expect(answer.headers["wechatpay-serial"]).toBe(simulator.platform.certificateSerialNo);
    expect(answer.headers["wechatpay-signature-type"]).toBe("WECHATPAY2-SHA256-RSA2048");
    expect(answer.headers["request-id"]).toMatch(/^[0-9A-F]+$/);
  });

  it("rejects a signature by another key", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

    const answer = await sendV3(merchant, { method: "GET", path: certificatesPath }, { privateKeyPem });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).code).toBe("SIGN_ERROR");
  });

  it("rejects a serial that is not the merchant certificate", async () => {
    const answer = await sendV3(merchant, { method: "GET", path: certificatesPath }, { serialNo: simulator.platform.certificateSerialNo });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).code).toBe("SIGN_ERROR");
  });

  it("rejects a timestamp older than five minutes", async () => {
    const answer = await sendV3(merchant, { method: "GET", path: certificatesPath }, { timestampSeconds: Math.floor(Date.now() / 1000) - 301 });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).message).toContain("5分钟");
  });

  it("rejects a millisecond timestamp", async () => {
    const answer = await sendV3(merchant, { method: "GET", path: certificatesPath }, { timestampSeconds: Date.now() });

    expect(answer.status).toBe(401);
  });

  it("rejects a body changed after signing", async () => {
    const body = { mchid: merchant.mchid, notify_url: "http://127.0.0.1:9/notify" };
    const answer = await sendV3(
      merchant,
      { method: "POST", path: "/v3/marketing/favor/callbacks", body },
      { sentBody: JSON.stringify({ ...body, notify_url: "http://127.0.0.1:10/notify" }) },
    );

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).detail.location).toBe("authorization");
  });

  it("rejects a query string left out of the signature", async () => {
    const answer = await sendV3(
      merchant,
      { method: "GET", path: `/v3/pay/transactions/out-trade-no/ORDER000001?mchid=${merchant.mchid}` },
      { signedPath: "/v3/pay/transactions/out-trade-no/ORDER000001" },
    );

    expect(answer.status).toBe(401);
  });

  it("rejects a request without Authorization", async () => {
    const answer = await rawRequest(new URL(certificatesPath, simulator.apiBaseUrl), { method: "GET" });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).code).toBe("SIGN_ERROR");
  });

  it("accepts parameters in any order", async () => {
    // The helper sends signature before timestamp and serial_no last, unlike any official SDK.
    const answer = await sendV3(merchant, { method: "GET", path: certificatesPath });

    expect(answer.status).toBe(200);
  });
});

describe("response signature", () => {
  it("signs with the public key for public-key merchants", async () => {
    const answer = await sendV3(publicKeyMerchant, { method: "GET", path: `/v3/marketing/favor/callbacks?mchid=${publicKeyMerchant.mchid}` });

    expect(answer.headers["wechatpay-serial"]).toBe(simulator.platform.publicKeyId);
    expect(answer.headers["wechatpay-serial"]).toMatch(/^PUB_KEY_ID_/);
    expect(verifyWechatpaySignature(simulator.platform, answer.headers, answer.body)).toBe(true);
  });

  it("switches to the public key when the request names it", async () => {
    const answer = await sendV3(merchant, { method: "GET", path: certificatesPath }, { extraHeaders: { "Wechatpay-Serial": simulator.platform.publicKeyId } });

    expect(answer.headers["wechatpay-serial"]).toBe(simulator.platform.publicKeyId);
    expect(verifyWechatpaySignature(simulator.platform, answer.headers, answer.body)).toBe(true);
  });

  it("forges a signature when the fault asks", async () => {
    simulator.faults.inject({ mchid: merchant.mchid, operation: "downloadCertificates", fault: { forgeSignature: true } });

    const forged = await sendV3(merchant, { method: "GET", path: certificatesPath });
    const next = await sendV3(merchant, { method: "GET", path: certificatesPath });

    expect(forged.status).toBe(200);
    expect(verifyWechatpaySignature(simulator.platform, forged.headers, forged.body)).toBe(false);
    expect(verifyWechatpaySignature(simulator.platform, next.headers, next.body)).toBe(true);
  });

  it("sends a signature probe when the fault asks", async () => {
    simulator.faults.inject({ mchid: merchant.mchid, operation: "downloadCertificates", fault: { signatureProbe: true } });

    const probe = await sendV3(merchant, { method: "GET", path: certificatesPath });

    expect(String(probe.headers["wechatpay-signature"])).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(verifyWechatpaySignature(simulator.platform, probe.headers, probe.body)).toBe(false);
  });
});

describe("certificates", () => {
  it("downloads the platform certificate encrypted with the APIv3 key", async () => {
    const answer = await sendV3(merchant, { method: "GET", path: certificatesPath });
    const [item] = JSON.parse(answer.body).data;

    expect(item.serial_no).toBe(simulator.platform.certificateSerialNo);
    expect(item.encrypt_certificate.associated_data).toBe("certificate");
    expect(decryptResource(merchant.apiV3Key, item.encrypt_certificate)).toBe(simulator.platform.certificatePem);
  });

  it("has none for public-key merchants", async () => {
    const answer = await sendV3(publicKeyMerchant, { method: "GET", path: certificatesPath });

    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).code).toBe("RESOURCE_NOT_EXISTS");
  });

  it("fills merchant config by signing mode", () => {
    expect(merchant.platformCertificatePems).toEqual([simulator.platform.certificatePem]);
    expect(merchant.wechatPayPublicKeyId).toBeUndefined();
    expect(publicKeyMerchant.wechatPayPublicKeyId).toBe(simulator.platform.publicKeyId);
    expect(publicKeyMerchant.platformCertificatePems).toBeUndefined();
    expect(merchant.merchantSerialNo).toMatch(/^[0-9A-F]{40}$/);
    expect(merchant.apiV3Key).toHaveLength(32);
    expect(merchant.apiV2Key).toHaveLength(32);
  });
});

describe("startSimulator", () => {
  it("rejects a non-loopback host", async () => {
    await expect(startSimulator({ host: "0.0.0.0" as "127.0.0.1" })).rejects.toThrow(/loopback/);
  });
});
