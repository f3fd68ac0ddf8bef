import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWechatPayClient, type WechatPayClient } from "../../../src/wechatpay/index.js";
import {
  SimulatorStateFileError,
  startSimulator,
  type SimulatedMerchantConfig,
  type StartSimulatorOptions,
  type WechatPaySimulator,
} from "../../../src/wechatpay/simulator/index.js";
import { startReceiver } from "./support/notify-receiver.js";

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), "simulator-state-"));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Find a loopback port that was free a moment ago, by listening on port 0 and closing again. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function fixedPortOptions(stateFile: string): Promise<StartSimulatorOptions> {
  return { stateFile, port: await freePort(), v2Port: await freePort() };
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; code: string; message: string }): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result.value;
}

describe("simulator state file", () => {
  let options: StartSimulatorOptions;
  let first: WechatPaySimulator;
  let restarted: WechatPaySimulator;
  let merchant: SimulatedMerchantConfig;
  let client: WechatPayClient;
  let stockId: string;
  let couponId: string;
  let outTradeNo: string;
  let mchBillno: string;

  beforeAll(async () => {
    options = await fixedPortOptions(path.join(folder, "restart", "state.json"));
    first = await startSimulator(options);
    merchant = await first.createMerchant({ balance: 50_000 });
    client = createWechatPayClient(merchant, { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 5000 });
    const appid = merchant.appids[0]!;
    const openid = first.customer.openid(appid);

    stockId = String(
      first.createStock(merchant.mchid, {
        stock_name: "满100减10",
        coupon_amount: 1000,
        transaction_minimum: 10_000,
        max_coupons: 100,
        max_coupons_per_user: 5,
      }).stock_id,
    );
    couponId = unwrap(
      await client.sendCoupon({ openid, stock_id: stockId, out_request_no: `${merchant.mchid}-send-1`, appid, stock_creator_mchid: merchant.mchid }),
    ).coupon_id;

    outTradeNo = `order${Date.now()}`;
    unwrap(
      await client.createJsapiOrder({
        appid,
        description: "测试商品",
        out_trade_no: outTradeNo,
        notify_url: "http://127.0.0.1:9/notify",
        amount: { total: 2000, currency: "CNY" },
        payer: { openid },
      }),
    );

    mchBillno = `${merchant.mchid}20260701${String(Date.now()).slice(-8)}`.slice(0, 28);
    unwrap(
      await client.sendRedPack({
        mch_billno: mchBillno,
        wxappid: appid,
        send_name: "品牌商城",
        re_openid: openid,
        total_amount: 188,
        total_num: 1,
        wishing: "恭喜发财",
        client_ip: "127.0.0.1",
        act_name: "新会员有礼",
        remark: "活动奖励",
      }),
    );
    first.topUpBalance(merchant.mchid, 1_000);
    first.advanceTime(60_000);
  });

  afterAll(async () => {
    client?.close();
    await restarted?.close();
  });

  it("restores state after restart", async () => {
    const before = {
      platform: first.platform,
      tlsCaPem: first.tlsCaPem,
      merchant: first.state.merchant(merchant.mchid),
      balance: first.state.balance(merchant.mchid),
      stocks: first.state.stocks(merchant.mchid),
      coupons: first.state.coupons({ mchid: merchant.mchid }),
      orders: first.state.orders(merchant.mchid),
      redPackets: first.state.redPackets(merchant.mchid),
      created: first.state.created(),
    };
    await first.close();

    restarted = await startSimulator(options);

    expect(restarted.apiBaseUrl).toBe(first.apiBaseUrl);
    expect(restarted.apiV2BaseUrl).toBe(first.apiV2BaseUrl);
    expect(restarted.platform).toEqual(before.platform);
    expect(restarted.tlsCaPem).toBe(before.tlsCaPem);
    expect(restarted.state.merchant(merchant.mchid)).toEqual(before.merchant);
    expect(restarted.state.balance(merchant.mchid)).toBe(before.balance);
    expect(before.balance).toBe(50_000 - 188 + 1_000);
    expect(restarted.state.stocks(merchant.mchid)).toEqual(before.stocks);
    expect(restarted.state.stocks(merchant.mchid)[0]?.distributed_coupons).toBe(1);
    expect(restarted.state.coupons({ mchid: merchant.mchid })).toEqual(before.coupons);
    expect(restarted.state.coupons({ mchid: merchant.mchid })[0]?.coupon_id).toBe(couponId);
    expect(restarted.state.orders(merchant.mchid)).toEqual(before.orders);
    expect(restarted.state.orders(merchant.mchid)[0]?.out_trade_no).toBe(outTradeNo);
    expect(restarted.state.redPackets(merchant.mchid)).toEqual(before.redPackets);
    expect(restarted.state.created()).toEqual(before.created);
  });

  it("keeps the business clock offset", () => {
    const order = restarted.state.orders(merchant.mchid)[0]!;
    // The order was created before advanceTime(60 s); a fresh clock would be a minute behind it.
    restarted.customer.payOrder(merchant.mchid, outTradeNo);
    const paid = restarted.state.orders(merchant.mchid)[0]!;
    expect(paid.trade_state).toBe("SUCCESS");
    expect(paid.successTimeMs! - order.createdAtMs).toBeGreaterThanOrEqual(60_000);
  });

  it("serves an earlier client over APIv3", async () => {
    const stock = unwrap(await client.queryStock({ stock_id: stockId }));
    expect(stock.distributed_coupons).toBe(1);

    const certificates = unwrap(await client.downloadCertificates());
    expect(certificates.map((certificate) => certificate.serial_no)).toContain(restarted.platform.certificateSerialNo);
  });

  it("serves an earlier client over APIv2", async () => {
    const info = unwrap(await client.queryRedPack({ mch_billno: mchBillno, appid: merchant.appids[0]! }));
    expect(info.status).toBe("SENT");
    expect(info.total_amount).toBe(188);
  });

  it("continues id sequences", async () => {
    const stock = restarted.createStock(merchant.mchid, {
      stock_name: "第二批",
      coupon_amount: 500,
      transaction_minimum: 5_000,
      max_coupons: 10,
      max_coupons_per_user: 1,
    });
    expect(stock.stock_id).not.toBe(stockId);
    expect(restarted.state.stocks(merchant.mchid)).toHaveLength(2);
  });

  it("writes the file with mode 0600", () => {
    const mode = statSync(options.stateFile!).mode & 0o777;
    expect(mode).toBe(0o600);
  });
});

describe("simulator state saving", () => {
  it("saves shortly after a change", async () => {
    const stateFile = path.join(folder, "debounce.json");
    const simulator = await startSimulator({ stateFile });
    try {
      const merchant = await simulator.createMerchant();
      expect(existsSync(stateFile)).toBe(false);

      await expect.poll(() => existsSync(stateFile) && readFileSync(stateFile, "utf8").includes(merchant.mchid), { timeout: 3000 }).toBe(true);
      expect(JSON.parse(readFileSync(stateFile, "utf8")).version).toBe(1);
    } finally {
      await simulator.close();
    }
  });

  it("delivers pending notifications after restart", async () => {
    let accepting = false;
    const receiver = await startReceiver(() => (accepting ? 204 : 500));
    const options = { ...(await fixedPortOptions(path.join(folder, "pending.json"))), notifyRetryScheduleMs: [60_000] };
    const first = await startSimulator(options);
    const merchant = await first.createMerchant();
    const client = createWechatPayClient(merchant, { retry: { maxAttempts: 1 }, timeoutMs: 5000 });
    let restarted: WechatPaySimulator | undefined;
    try {
      const outTradeNo = `pending${Date.now()}`;
      unwrap(
        await client.createJsapiOrder({
          appid: merchant.appids[0]!,
          description: "测试商品",
          out_trade_no: outTradeNo,
          notify_url: receiver.url,
          amount: { total: 100, currency: "CNY" },
          payer: { openid: first.customer.openid(merchant.appids[0]!) },
        }),
      );
      first.customer.payOrder(merchant.mchid, outTradeNo);
      await expect.poll(() => first.notifications.deliveries.length, { timeout: 3000 }).toBe(1);
      expect(first.notifications.deliveries[0]?.statusCode).toBe(500);
      await first.close();

      accepting = true;
      restarted = await startSimulator(options);
      await restarted.notifications.waitForIdle(5000);
      expect(restarted.notifications.deliveries.map((delivery) => [delivery.eventType, delivery.statusCode])).toEqual([["TRANSACTION.SUCCESS", 204]]);
    } finally {
      client.close();
      await restarted?.close();
      await receiver.close();
    }
  });
});

describe("simulator state loading", () => {
  it("rejects a corrupt file", async () => {
    const stateFile = path.join(folder, "corrupt.json");
    writeFileSync(stateFile, '{"format":"wechatpay-simulator-state","version":1,');

    const started = startSimulator({ stateFile });
    await expect(started).rejects.toBeInstanceOf(SimulatorStateFileError);
    await expect(started).rejects.toThrow(`WeChat Pay simulator state file ${stateFile} is not valid JSON`);
    await expect(started).rejects.toThrow("Delete the file to start the simulator with new keys");
  });

  it("rejects an unknown version", async () => {
    const stateFile = path.join(folder, "future.json");
    writeFileSync(stateFile, JSON.stringify({ format: "wechatpay-simulator-state", version: 99 }));

    await expect(startSimulator({ stateFile })).rejects.toThrow(`${stateFile} has version 99, but this server reads version 1 only`);
  });

  it("rejects damaged keys", async () => {
    const source = path.join(folder, "source.json");
    const simulator = await startSimulator({ stateFile: source });
    await simulator.close();
    const state = JSON.parse(readFileSync(source, "utf8"));
    state.keys.platformCertificate.privateKeyPem = "not a key";
    const stateFile = path.join(folder, "damaged.json");
    writeFileSync(stateFile, JSON.stringify(state));

    await expect(startSimulator({ stateFile })).rejects.toThrow(`${stateFile} is damaged`);
  });

  it("rejects a taken port", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      await expect(startSimulator({ port })).rejects.toThrow(`the simulator's APIv3 server cannot listen on 127.0.0.1 port ${port}: the port is already in use`);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});
