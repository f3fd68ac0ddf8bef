import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConnectMerchantAccountDocument,
  MerchantAccountsDocument,
  SetMerchantAccountStatusDocument,
  TestMerchantConnectionDocument,
  UpdateMerchantAccountDocument,
  WechatPaySimulatorDocument,
  SimulatorConnectMerchantAccountDocument,
  SimulatorCreateVoucherStockDocument,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { connectSimulatedMerchant, merchantInput } from "../support/merchants.js";

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp({ captureLogs: true });
});

afterAll(async () => {
  await test?.stop();
});

describe("merchant accounts", () => {
  it("connects an account and passes the connection test", async () => {
    const admin = await test.client({ tenant: "brand-m", roles: ["admin"] });
    const merchant = await connectSimulatedMerchant(test, admin);

    const { testMerchantConnection } = await admin.request(TestMerchantConnectionDocument, { id: merchant.id });
    expect(testMerchantConnection.checks.map((check) => [check.name, check.ok])).toEqual([
      ["CERTIFICATE", true],
      ["API_V3", true],
      ["API_V2", true],
    ]);
    expect(testMerchantConnection.ok).toBe(true);
  });

  it("shows fingerprints and never the secrets", async () => {
    const admin = await test.client({ tenant: "brand-secret", roles: ["admin"] });
    const merchant = await connectSimulatedMerchant(test, admin);
    await admin.request(TestMerchantConnectionDocument, { id: merchant.id });
    const listing = await admin.request(MerchantAccountsDocument);

    const account = listing.merchantAccounts.edges[0]!.node;
    expect(account.mchid).toBe(merchant.credentials.mchid);
    expect(account.apiV3KeyFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(account.merchantSerialNo).toBe(merchant.credentials.merchantSerialNo);

    const secrets = [
      merchant.credentials.apiV3Key,
      merchant.credentials.apiV2Key,
      merchant.credentials.merchantPrivateKeyPem.split("\n")[1]!,
    ];
    const response = JSON.stringify(listing);
    const logs = test.logs.join("");
    for (const secret of secrets) {
      expect(response).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });

  it("reports a wrong APIv3 key in words", async () => {
    const admin = await test.client({ tenant: "brand-wrong-key", roles: ["admin"] }, { "accept-language": "en" });
    const credentials = await test.app.services.simulator!.createMerchant({ signingMode: "certificate" });
    const input = merchantInput(credentials);
    input.credentials.apiV3Key = "x".repeat(32);
    input.credentials.platformCertificatePems = null;
    const { connectMerchantAccount } = await admin.request(ConnectMerchantAccountDocument, { input });
    expect(connectMerchantAccount.userErrors).toEqual([]);

    const { testMerchantConnection } = await admin.request(TestMerchantConnectionDocument, {
      id: connectMerchantAccount.merchantAccount!.id,
    });
    expect(testMerchantConnection.ok).toBe(false);
    const v3 = testMerchantConnection.checks.find((check) => check.name === "API_V3")!;
    expect(v3.ok).toBe(false);
    expect(v3.message).toBe("The platform certificates could not be decrypted: the APIv3 key is wrong.");
  });

  it("reports a wrong private key and an unreachable endpoint", async () => {
    const admin = await test.client({ tenant: "brand-wrong-sign", roles: ["admin"] }, { "accept-language": "zh-CN" });
    const simulator = test.app.services.simulator!;
    const real = await simulator.createMerchant();
    const other = await simulator.createMerchant();

    // A complete key pair of another merchant: well-formed, but WeChat Pay has a different public key on record.
    const forged = merchantInput(real, {});
    forged.credentials.merchantPrivateKeyPem = other.merchantPrivateKeyPem;
    forged.credentials.merchantCertificatePem = other.merchantCertificatePem;
    forged.credentials.merchantSerialNo = other.merchantSerialNo;
    const { connectMerchantAccount } = await admin.request(ConnectMerchantAccountDocument, { input: forged });
    const result = await admin.request(TestMerchantConnectionDocument, { id: connectMerchantAccount.merchantAccount!.id });
    const v3 = result.testMerchantConnection.checks.find((check) => check.name === "API_V3")!;
    expect(v3.message).toMatch(/^微信支付拒绝了请求签名/);

    const unreachable = merchantInput(await simulator.createMerchant(), { apiBaseUrl: "http://127.0.0.1:9", apiV2BaseUrl: "https://127.0.0.1:9" });
    const connected = await admin.request(ConnectMerchantAccountDocument, { input: unreachable });
    const down = await admin.request(TestMerchantConnectionDocument, { id: connected.connectMerchantAccount.merchantAccount!.id });
    expect(down.testMerchantConnection.checks.find((check) => check.name === "API_V3")!.message).toMatch(/^无法连接 http:\/\/127\.0\.0\.1:9/);
  });

  it("rejects malformed credentials with field paths", async () => {
    const admin = await test.client({ tenant: "brand-invalid", roles: ["admin"] });
    const credentials = await test.app.services.simulator!.createMerchant();
    const input = merchantInput(credentials, { mchid: "12ab", officialAccountAppid: "wechat" });
    input.credentials.apiV2Key = "short";
    input.credentials.merchantSerialNo = "DEADBEEF";
    const { connectMerchantAccount } = await admin.request(ConnectMerchantAccountDocument, { input });
    expect(connectMerchantAccount.merchantAccount).toBeNull();
    expect(connectMerchantAccount.userErrors.map((error) => [error.code, error.field])).toEqual([
      ["INVALID_MCHID", ["mchid"]],
      ["INVALID_APPID", ["officialAccountAppid"]],
      ["INVALID_API_KEY", ["credentials", "apiV2Key"]],
      ["SERIAL_MISMATCH", ["credentials", "merchantSerialNo"]],
    ]);
    expect(JSON.stringify(connectMerchantAccount)).not.toContain(credentials.apiV3Key);
  });

  it("rejects connecting the same mchid twice", async () => {
    const admin = await test.client({ tenant: "brand-dup", roles: ["admin"] });
    const merchant = await connectSimulatedMerchant(test, admin);
    const again = await admin.request(ConnectMerchantAccountDocument, { input: merchantInput(merchant.credentials) });
    expect(again.connectMerchantAccount.userErrors[0]?.code).toBe("MCHID_TAKEN");
  });

  it("disables, re-enables and replaces credentials", async () => {
    const admin = await test.client({ tenant: "brand-status", roles: ["admin"] });
    const merchant = await connectSimulatedMerchant(test, admin);

    const disabled = await admin.request(SetMerchantAccountStatusDocument, { input: { id: merchant.id, status: "DISABLED" } });
    expect(disabled.setMerchantAccountStatus.merchantAccount?.status).toBe("DISABLED");
    const enabled = await admin.request(SetMerchantAccountStatusDocument, { input: { id: merchant.id, status: "ENABLED" } });
    expect(enabled.setMerchantAccountStatus.merchantAccount?.status).toBe("ENABLED");

    const before = (await admin.request(MerchantAccountsDocument)).merchantAccounts.edges[0]!.node.apiV2KeyFingerprint;
    const replaced = await admin.request(UpdateMerchantAccountDocument, {
      input: { id: merchant.id, name: "新名称", credentials: { ...merchantInput(merchant.credentials).credentials, apiV2Key: "N".repeat(32) } },
    });
    expect(replaced.updateMerchantAccount.merchantAccount?.name).toBe("新名称");
    expect(replaced.updateMerchantAccount.merchantAccount?.apiV2KeyFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(replaced.updateMerchantAccount.merchantAccount?.apiV2KeyFingerprint).not.toBe(before);
    const check = await admin.request(TestMerchantConnectionDocument, { id: merchant.id });
    expect(check.testMerchantConnection.checks.find((item) => item.name === "API_V2")?.message).toContain("APIv2 key is wrong");
  });

  it("lets only admins connect accounts", async () => {
    const marketer = await test.client({ tenant: "brand-m", roles: ["marketer"] });
    const credentials = await test.app.services.simulator!.createMerchant();
    const error = await marketer.request(ConnectMerchantAccountDocument, { input: merchantInput(credentials) }).catch((caught) => caught);
    expect(error.response.errors[0].extensions.code).toBe("FORBIDDEN");
  });
});

describe("merchant accounts on the WeChat Pay public key", () => {
  it("fails the connection test with a wrong public key", async () => {
    const admin = await test.client({ tenant: "brand-public-key", roles: ["admin"] });
    const simulator = test.app.services.simulator!;
    const credentials = await simulator.createMerchant({ signingMode: "publicKey" });
    const other = await simulator.createMerchant();
    const input = merchantInput(credentials);
    expect(input.credentials.wechatPayPublicKeyId).toMatch(/^PUB_KEY_ID_/);

    const good = await admin.request(ConnectMerchantAccountDocument, { input });
    const passed = await admin.request(TestMerchantConnectionDocument, { id: good.connectMerchantAccount.merchantAccount!.id });
    expect(passed.testMerchantConnection.checks.find((check) => check.name === "API_V3")?.ok).toBe(true);

    // Another key under the right id: every response from WeChat Pay now fails verification.
    const { publicKey } = await import("node:crypto").then((crypto) => crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }));
    const wrong = merchantInput(other, {});
    wrong.credentials.wechatPayPublicKeyId = credentials.wechatPayPublicKeyId!;
    wrong.credentials.wechatPayPublicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
    await test.app.services.simulator!.setSigningMode(other.mchid, "publicKey");
    const connected = await admin.request(ConnectMerchantAccountDocument, { input: wrong });
    const failed = await admin.request(TestMerchantConnectionDocument, { id: connected.connectMerchantAccount.merchantAccount!.id });
    const v3 = failed.testMerchantConnection.checks.find((check) => check.name === "API_V3")!;
    expect(v3.ok).toBe(false);
    expect(v3.message).toMatch(/failed verification/);
  });
});

describe("built-in simulator shortcuts", () => {
  it("opens, connects and tests a simulated merchant", async () => {
    const admin = await test.client({ tenant: "brand-shortcut", roles: ["admin"] });
    const { wechatPaySimulator } = await admin.request(WechatPaySimulatorDocument);
    expect(wechatPaySimulator?.apiBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const { simulatorConnectMerchantAccount } = await admin.request(SimulatorConnectMerchantAccountDocument, {
      input: { name: "演示商户", cashRedPacket: false },
    });
    const account = simulatorConnectMerchantAccount.merchantAccount!;
    expect(account.capabilities.payoutChannel).toBe("MERCHANT_TRANSFER");

    const checked = await admin.request(TestMerchantConnectionDocument, { id: account.id });
    expect(checked.testMerchantConnection.ok).toBe(true);

    const { simulatorCreateVoucherStock } = await admin.request(SimulatorCreateVoucherStockDocument, {
      input: { merchantAccountId: account.id, stockName: "新人券", couponAmount: 500, transactionMinimum: 5000, maxCoupons: 100, maxCouponsPerUser: 1 },
    });
    expect(test.app.services.simulator!.state.stocks(account.mchid).map((stock) => stock["stock_id"])).toContain(
      simulatorCreateVoucherStock.stockId,
    );
  });
});
