import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIMULATOR_STATE_FILE } from "../../src/app/start.js";
import { loadConfig } from "../../src/config/config.js";
import { ConfigError } from "../../src/config/environment.js";
import {
  ClaimVoucherDocument,
  CreateCampaignDocument,
  RegisterVoucherBatchDocument,
  SaveVoucherModuleDocument,
  SimulatorConnectMerchantAccountDocument,
  SimulatorCreateVoucherStockDocument,
  TestMerchantConnectionDocument,
} from "../generated/graphql.js";
import { startTestApp } from "../support/app.js";
import { createTestDatabase, usesPglite, type TestDatabase } from "../support/database.js";

/** Find a loopback port whose next port is free too, since the simulator takes both; both were free a moment ago. */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as net.AddressInfo;
    const nextFree = port < 65535 && (await canListen(port + 1));
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    if (nextFree) return port;
  }
  throw new Error("found no two free consecutive loopback ports");
}

function canListen(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Environment of an app whose DATA_DIR (and PGlite files, when tests run on PGlite) survive a restart. */
function persistentEnv(dataDir: string, port: number): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    WECHATPAY_SIMULATOR_PORT: String(port),
    ...(usesPglite() ? { PGLITE_DATA_DIR: path.join(dataDir, "pglite") } : {}),
  };
}

describe("server restart", () => {
  let database: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "bff-restart-"));
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps simulated merchants working", async () => {
    const env = persistentEnv(dataDir, await freePortPair());
    const tenant = "restart-brand";

    const first = await startTestApp({ database, env });
    let accountId: string;
    let mchid: string;
    try {
      const admin = await first.client({ tenant, roles: ["admin"] });
      const { simulatorConnectMerchantAccount } = await admin.request(SimulatorConnectMerchantAccountDocument, {
        input: { name: "重启商户" },
      });
      expect(simulatorConnectMerchantAccount.userErrors).toEqual([]);
      accountId = simulatorConnectMerchantAccount.merchantAccount!.id;
      mchid = simulatorConnectMerchantAccount.merchantAccount!.mchid;

      const { simulatorCreateVoucherStock } = await admin.request(SimulatorCreateVoucherStockDocument, {
        input: { merchantAccountId: accountId, stockName: "重启券", couponAmount: 500, transactionMinimum: 5000, maxCoupons: 100, maxCouponsPerUser: 1 },
      });
      const { createCampaign } = await admin.request(CreateCampaignDocument, { input: { name: "重启活动" } });
      const { registerVoucherBatch } = await admin.request(RegisterVoucherBatchDocument, {
        input: { merchantAccountId: accountId, stockId: simulatorCreateVoucherStock.stockId, campaignId: createCampaign.campaign!.id },
      });
      expect(registerVoucherBatch.userErrors).toEqual([]);
      const saved = await admin.request(SaveVoucherModuleDocument, {
        input: { pageId: "restart-page", moduleKey: "coupon", batchId: registerVoucherBatch.voucherBatch!.id, popupKind: "MESSAGE", popupMessage: "领取成功" },
      });
      expect(saved.saveVoucherModule.userErrors).toEqual([]);
    } finally {
      await first.stop();
    }

    const second = await startTestApp({ database, env });
    try {
      const admin = await second.client({ tenant, roles: ["admin"] });
      const { testMerchantConnection } = await admin.request(TestMerchantConnectionDocument, { id: accountId });
      expect(testMerchantConnection.checks.map((check) => [check.name, check.ok, check.message])).toEqual([
        ["CERTIFICATE", true, expect.any(String)],
        ["API_V3", true, expect.any(String)],
        ["API_V2", true, expect.any(String)],
      ]);
      expect(testMerchantConnection.ok).toBe(true);

      const simulator = second.app.services.simulator!;
      const appid = simulator.state.merchant(mchid).appids[0]!;
      const openid = simulator.customer.openid(appid);
      const customer = await second.client({ tenant, roles: ["customer"], appid, openid });
      const { claimVoucher } = await customer.request(ClaimVoucherDocument, {
        input: { pageId: "restart-page", moduleKey: "coupon", requestId: "restart-tap-0001" },
      });
      expect(claimVoucher.status).toBe("ISSUED");
      expect(simulator.state.coupons({ openid }).map((coupon) => coupon.coupon_id)).toEqual([claimVoucher.couponId]);
    } finally {
      await second.stop();
    }
  });

  it("stops on a corrupt simulator state file", async () => {
    const corruptDir = mkdtempSync(path.join(tmpdir(), "bff-corrupt-"));
    const stateFile = path.join(corruptDir, SIMULATOR_STATE_FILE);
    writeFileSync(stateFile, "{ not json");
    try {
      const started = startTestApp({ database, env: { DATA_DIR: corruptDir } });
      await expect(started).rejects.toThrow(`WeChat Pay simulator state file ${stateFile} is not valid JSON`);
      await expect(started).rejects.toThrow("Delete the file to start the simulator with new keys and no merchants");
    } finally {
      rmSync(corruptDir, { recursive: true, force: true });
    }
  });

  it("stops when the simulator port is taken", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const started = startTestApp({ database, env: { WECHATPAY_SIMULATOR_PORT: String(port) } });
      await expect(started).rejects.toThrow(`APIv3 server cannot listen on 127.0.0.1 port ${port}: the port is already in use`);
      await expect(started).rejects.toThrow("set WECHATPAY_SIMULATOR_PORT to another free port");
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

describe("WECHATPAY_SIMULATOR_PORT", () => {
  it("defaults to 4010", () => {
    expect(loadConfig({}).wechatPaySimulatorPort).toBe(4010);
  });

  it("rejects ports without a next port", () => {
    for (const value of ["65535", "-1", "http"]) {
      let caught: unknown;
      try {
        loadConfig({ WECHATPAY_SIMULATOR_PORT: value });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).problems).toEqual([`WECHATPAY_SIMULATOR_PORT: invalid value "${value}"; use a whole number from 0 to 65534`]);
    }
  });
});
