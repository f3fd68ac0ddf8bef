import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import type { RunningApp } from "../app/start.js";
import { signDevelopmentToken } from "../auth/dev-token.js";
import type { Role } from "../auth/actor.js";
import type { DemoClock } from "./demo-clock.js";
import { fakeCustomers, type FakeCustomer } from "./fake-people.js";
import { DemoClient } from "./graphql-client.js";
import * as op from "./operations.js";

/** How many customers each step involves. */
export interface DemoSize {
  pageClaims: number;
  luckyDraws: number;
  forms: number;
  workflow: number;
  buyers: number;
  /** Total count limit of the red packet with tight limits. */
  tightRedPacketLimit: number;
}

export const FULL_SIZE: DemoSize = { pageClaims: 80, luckyDraws: 40, forms: 30, workflow: 5000, buyers: 30, tightRedPacketLimit: 300 };
export const SHORT_SIZE: DemoSize = { pageClaims: 8, luckyDraws: 5, forms: 4, workflow: 150, buyers: 5, tightRedPacketLimit: 40 };

export interface IssuanceCounts {
  vouchersIssued: number;
  vouchersCollected: number;
  vouchersRedeemed: number;
  redPacketsIssued: number;
  redPacketAmountIssued: number;
  redPacketsFailed: number;
}

/** Record of what the demo did and saw, printed for people and checked against the database by a test. */
export interface DemoReport {
  tenantId: string;
  campaignId: string;
  campaignName: string;
  mchid: string;
  connectionOk: boolean;
  claims: { issued: number; limited: number };
  prizes: { issued: number; other: number; amount: number };
  workflowVouchers: Record<string, number>;
  workflowRedPackets: Record<string, number>;
  orders: { paid: number; withVoucher: number; paidAmount: number };
  live: { updates: number; last: IssuanceCounts | null };
  stats: {
    customersReached: number;
    vouchers: { issuedCount: number; collectedCount: number; redeemedCount: number; redemptionRate: number | null };
    redPackets: { issuedCount: number; issuedAmount: number; failedCount: number };
    orders: { count: number; paidCount: number; paidAmount: number };
  };
  eventsByDay: { day: string; type: string; count: number; distinctCustomers: number; sumAmount: number }[];
  unredeemedSegment: number;
  /** Notices sent to customers who missed the red packet with tight limits, and one of their texts. */
  failureNotices: { count: number; example: string | null };
  exportFile: string | null;
  exportRows: number | null;
  exportSha256: string | null;
  tokens: Record<"admin" | "marketer" | "analyst", string>;
}

export interface DemoOptions {
  app: RunningApp;
  size: DemoSize;
  /** Moves the server's clock so the campaign spreads over several days; optional. */
  clock?: DemoClock;
  /** Folder for the downloaded export. */
  outputDir: string;
  log?: (line: string) => void;
  tenantId?: string;
}

const WAIT_TIMEOUT_MS = 10 * 60_000;

/**
 * Run the guided tour against a started server: an admin, a marketer, customers on pages, a workflow, a
 * dashboard and an analyst each use the API as the real clients do.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const { app, size } = options;
  const log = options.log ?? (() => {});
  const config = app.services.config;
  const graphqlUrl = `http://127.0.0.1:${app.http.port}/graphql`;
  const tenantId = options.tenantId ?? "demo";
  const token = (roles: Role[], extra: { appid?: string; openid?: string } = {}) =>
    signDevelopmentToken(config, { tenantId, roles, subject: `demo-${roles.join("-")}`, ...extra });
  const tokens = { admin: await token(["admin"]), marketer: await token(["marketer"]), analyst: await token(["analyst"]) };
  const admin = new DemoClient(graphqlUrl, tokens.admin);
  const marketer = new DemoClient(graphqlUrl, tokens.marketer);
  const analyst = new DemoClient(graphqlUrl, tokens.analyst);
  const service = new DemoClient(graphqlUrl, await token(["service"]));
  const simulatorUrl = app.services.simulator?.apiBaseUrl;
  if (!simulatorUrl) throw new Error("the demo needs the built-in WeChat Pay simulator: unset WECHATPAY_API_BASE_URL");

  // 1. The administrator connects the brand's merchant account.
  log("管理员接入商户号 / admin connects the merchant account");
  const connected = await admin.request<{ simulatorConnectMerchantAccount: { merchantAccount: { id: string; mchid: string; officialAccountAppid: string } | null; userErrors: { message: string }[] } }>(
    op.CONNECT_MERCHANT,
    { input: { name: "悦享生活旗舰店", cashRedPacket: true, balance: 50_000_000 } },
  );
  const account = connected.simulatorConnectMerchantAccount.merchantAccount;
  if (!account) throw new Error(`connecting the merchant failed: ${JSON.stringify(connected.simulatorConnectMerchantAccount.userErrors)}`);
  const appid = account.officialAccountAppid;
  const connection = await admin.request<{ testMerchantConnection: { ok: boolean } }>(op.TEST_CONNECTION, { id: account.id });

  // 2. The marketer sets the campaign up.
  log("营销人员创建活动、代金券、商品和红包 / marketer sets up the campaign");
  const campaignName = "双十二年终盛典";
  const { createCampaign } = await marketer.request<{ createCampaign: { campaign: { id: string } } }>(op.CREATE_CAMPAIGN, {
    input: { name: campaignName, status: "ACTIVE", externalId: `crm-${randomUUID().slice(0, 8)}` },
  });
  const campaignId = createCampaign.campaign.id;

  const stocks = [
    { stockName: "满100减20元券", couponAmount: 2000, transactionMinimum: 10000, maxCoupons: 10_000, maxCouponsPerUser: 1 },
    { stockName: "无门槛5元券", couponAmount: 500, transactionMinimum: 600, maxCoupons: 100_000, maxCouponsPerUser: 1 },
  ];
  const batchIds: string[] = [];
  for (const stock of stocks) {
    const created = await admin.request<{ simulatorCreateVoucherStock: { stockId: string } }>(op.CREATE_STOCK, {
      input: { merchantAccountId: account.id, ...stock },
    });
    const registered = await marketer.request<{ registerVoucherBatch: { voucherBatch: { id: string } } }>(op.REGISTER_BATCH, {
      input: { merchantAccountId: account.id, stockId: created.simulatorCreateVoucherStock.stockId, campaignId },
    });
    batchIds.push(registered.registerVoucherBatch.voucherBatch.id);
  }
  await marketer.request(op.SAVE_MODULE, {
    input: { pageId: "double12-home", moduleKey: "coupon-top", batchId: batchIds[0], popupKind: "MESSAGE", popupMessage: "领取成功！满100元立减20元，下单即可使用。" },
  });

  const products = [
    { name: "云南古树普洱茶饼 357g", price: 12900, stock: 200, labels: ["茶叶", "年货"], introduction: "勐海古树春茶，紧压茶饼，适合收藏与日常冲泡。" },
    { name: "手工阿胶糕 500g", price: 16800, stock: 150, labels: ["滋补"], introduction: "东阿阿胶配核桃与黑芝麻，独立小包装。" },
    { name: "五常稻花香大米 5kg", price: 8990, stock: 300, labels: ["粮油"], introduction: "黑龙江五常核心产区，当季新米。" },
  ];
  const productIds: { id: string; price: number }[] = [];
  for (const product of products) {
    const created = await marketer.request<{ createProduct: { product: { id: string; price: number } | null; userErrors: unknown[] } }>(op.CREATE_PRODUCT, {
      input: { merchantAccountId: account.id, campaignId, status: "ON_SALE", picture: { url: "https://img.example.com/products/demo.jpg" }, ...product },
    });
    if (!created.createProduct.product) throw new Error(`creating a product failed: ${JSON.stringify(created.createProduct.userErrors)}`);
    productIds.push(created.createProduct.product);
  }

  const redPacketBase = { campaignId, merchantAccountId: account.id, sendName: "悦享生活", actName: "双十二年终盛典" };
  const redPacketInputs = [
    { ...redPacketBase, name: "幸运抽奖固定红包", wishing: "恭喜发财，大吉大利", amount: { mode: "FIXED", fixed: 888 } },
    { ...redPacketBase, name: "表单提交随机红包", wishing: "感谢参与，好运连连", amount: { mode: "RANDOM", min: 100, max: 1888 } },
    {
      ...redPacketBase,
      name: "老客回馈限量红包",
      wishing: "老朋友，节日快乐",
      amount: { mode: "FIXED", fixed: 200 },
      limits: { totalCount: size.tightRedPacketLimit, dailyAmount: size.tightRedPacketLimit * 200 },
      warningThresholdPercent: 80,
      failureNotice: { enabled: true, channel: "SMS", text: "很抱歉，本轮红包已发完，敬请关注下次活动。" },
    },
  ];
  const redPacketIds: string[] = [];
  for (const input of redPacketInputs) {
    const created = await marketer.request<{ createRedPacket: { redPacket: { id: string } | null; userErrors: unknown[] } }>(op.CREATE_RED_PACKET, { input });
    if (!created.createRedPacket.redPacket) throw new Error(`creating a red packet failed: ${JSON.stringify(created.createRedPacket.userErrors)}`);
    redPacketIds.push(created.createRedPacket.redPacket.id);
  }

  // 3. A dashboard subscribes to the campaign's live counts.
  log("看板订阅实时发放计数 / a dashboard subscribes to live counts");
  const live = subscribeToIssuance(graphqlUrl.replace(/^http/, "ws"), tokens.analyst, campaignId);
  await live.ready;

  // 4. Customers on pages, lucky draws and forms, spread over three days.
  const people = fakeCustomers(Math.max(size.pageClaims, size.luckyDraws + size.forms, size.buyers) + 10);
  const claims = { issued: 0, limited: 0 };
  const prizes = { issued: 0, other: 0, amount: 0 };
  const coupons = new Map<string, string>();
  for (let day = 0; day < 3; day++) {
    log(`第 ${day + 1} 天：客户领券、抽奖、提交表单 / day ${day + 1}: claims, lucky draws, forms`);
    const share = (total: number) => people.slice(Math.floor((total * day) / 3), Math.floor((total * (day + 1)) / 3));

    for (const person of share(size.pageClaims)) {
      const customer = new DemoClient(graphqlUrl, await token(["customer"], { appid, openid: person.openid }));
      const { claimVoucher } = await customer.request<{ claimVoucher: { status: string; couponId: string | null } }>(op.CLAIM_VOUCHER, {
        input: { pageId: "double12-home", moduleKey: "coupon-top", requestId: randomUUID() },
      });
      if (claimVoucher.status === "ISSUED" && claimVoucher.couponId) {
        claims.issued++;
        coupons.set(person.openid, claimVoucher.couponId);
      } else claims.limited++;
    }

    const drawn = share(size.luckyDraws);
    const submitted = share(size.forms).map((_, index) => people[size.luckyDraws + index + Math.floor((size.forms * day) / 3)]!);
    for (const [person, operation, redPacketId] of [
      ...drawn.map((person) => [person, op.AWARD_PRIZE, redPacketIds[0]!] as const),
      ...submitted.map((person) => [person, op.FORM_RED_PACKET, redPacketIds[1]!] as const),
    ]) {
      const result = await service.request<Record<string, { grant: { outcome: string; amount: number } | null }>>(operation, {
        input: { redPacketId, customer: recipient(appid, person), idempotencyKey: `prize-${person.openid}` },
      });
      const grant = Object.values(result)[0]?.grant;
      if (grant?.outcome === "ISSUED") {
        prizes.issued++;
        prizes.amount += grant.amount;
      } else prizes.other++;
    }
    options.clock?.advanceDays(1);
  }

  // 5. A workflow sends vouchers and red packets to a large list and runs into the tight limit.
  log(`第 4 天：工作流向 ${size.workflow} 位客户发券和红包 / day 4: workflow sends to ${size.workflow} customers`);
  const audience = fakeCustomers(size.workflow).map((person) => recipient(appid, person));
  const voucherJob = await service.request<{ issueVouchers: { job: { id: string } } }>(op.ISSUE_VOUCHERS, {
    input: { batchId: batchIds[1], customers: audience, idempotencyKey: `double12-vouchers-${tenantId}`, campaignId },
  });
  const redPacketJob = await service.request<{ startRedPacketSend: { job: { id: string } | null; userErrors: unknown[] } }>(op.START_RED_PACKET_SEND, {
    input: { redPacketId: redPacketIds[2], customers: audience, idempotencyKey: `double12-red-packets-${tenantId}` },
  });
  if (!redPacketJob.startRedPacketSend.job) throw new Error(`starting the red packet send failed: ${JSON.stringify(redPacketJob.startRedPacketSend.userErrors)}`);
  const workflowVouchers = await waitForJob(service, voucherJob.issueVouchers.job.id);
  const workflowRedPackets = await waitForJob(service, redPacketJob.startRedPacketSend.job.id);
  options.clock?.advanceDays(1);

  // 6. Today: customers buy products, some with the voucher they claimed.
  log("今天：客户下单购买，部分使用代金券 / today: customers buy, some with a voucher");
  const orders = { paid: 0, withVoucher: 0, paidAmount: 0 };
  const buyers = people.slice(0, size.buyers);
  for (const [index, person] of buyers.entries()) {
    const product = productIds[index % productIds.length]!;
    const customer = new DemoClient(graphqlUrl, await token(["customer"], { appid, openid: person.openid }));
    const { checkout } = await customer.request<{ checkout: { order: { id: string; orderNo: string } | null; userErrors: unknown[] } }>(op.CHECKOUT, {
      input: { productId: product.id, quantity: 1, pageId: "double12-home", campaignId, requestId: `buy-${randomUUID()}` },
    });
    if (!checkout.order) throw new Error(`checkout failed: ${JSON.stringify(checkout.userErrors)}`);

    // In WeChat the customer pays; the simulator plays WeChat, and applies the claimed voucher when it fits.
    const couponId = product.price >= stocks[0]!.transactionMinimum ? coupons.get(person.openid) : undefined;
    await payInWechat(simulatorUrl, account.mchid, checkout.order.orderNo, person.openid, couponId);
    const { confirmPayment } = await customer.request<{ confirmPayment: { order: { status: string; payerTotal: number | null } | null } }>(op.CONFIRM_PAYMENT, {
      orderId: checkout.order.id,
    });
    if (confirmPayment.order?.status === "PAID") {
      orders.paid++;
      orders.paidAmount += confirmPayment.order.payerTotal ?? 0;
      if (couponId) orders.withVoucher++;
    }
  }
  await app.services.simulator!.notifications.waitForIdle(60_000).catch(() => undefined);

  // 7. The analyst queries the results and exports the orders.
  log("分析师查询数据并导出订单 / the analyst asks questions and exports orders");
  const sinceDays = { occurredAt: { last: { amount: 30, unit: "DAY" } }, campaignId: { equals: campaignId } };
  const { eventStats } = await analyst.request<{
    eventStats: { timeZone: string; rows: { bucketStart: string; type: string; count: number; distinctCustomers: number; sumAmount: number }[] };
  }>(
    op.EVENT_STATS,
    { filter: sinceDays },
  );
  const { customerSegment } = await analyst.request<{ customerSegment: { count: number } }>(op.SEGMENT, {
    did: { type: "VOUCHER_ISSUED", filter: sinceDays, minCount: 1 },
    didNot: { type: "VOUCHER_REDEEMED", within: { amount: 30, unit: "DAY" } },
  });
  const { failureNotices } = await marketer.request<{ failureNotices: { totalCount: number; edges: { node: { text: string } }[] } }>(
    op.FAILURE_NOTICES,
    { redPacketId: redPacketIds[2] },
  );
  const exported = await exportOrders(analyst, tokens.analyst, campaignId, options.outputDir);

  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const { campaign } = await analyst.request<{ campaign: { stats: DemoReport["stats"] } }>(op.CAMPAIGN_STATS, { id: campaignId });
  await live.waitForCounts(campaign.stats.vouchers.issuedCount, campaign.stats.redPackets.issuedCount);
  live.close();

  return {
    tenantId,
    campaignId,
    campaignName,
    mchid: account.mchid,
    connectionOk: connection.testMerchantConnection.ok,
    claims,
    prizes,
    workflowVouchers,
    workflowRedPackets,
    orders,
    live: { updates: live.updates(), last: live.last() },
    stats: campaign.stats,
    eventsByDay: eventStats.rows.map((row) => ({
      day: localDate(row.bucketStart, eventStats.timeZone),
      type: row.type,
      count: row.count,
      distinctCustomers: row.distinctCustomers,
      sumAmount: row.sumAmount,
    })),
    unredeemedSegment: customerSegment.count,
    failureNotices: { count: failureNotices.totalCount, example: failureNotices.edges[0]?.node.text ?? null },
    exportFile: exported?.file ?? null,
    exportRows: exported?.rowCount ?? null,
    exportSha256: exported?.sha256 ?? null,
    tokens,
  };
}

/** Format the calendar date of an instant in a time zone as YYYY-MM-DD. */
function localDate(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(instant));
}

function recipient(appid: string, person: FakeCustomer) {
  return { appid, openid: person.openid, mobile: person.mobile };
}

async function waitForJob(client: DemoClient, id: string): Promise<Record<string, number>> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const { job } = await client.request<{ job: { status: string; lastError: string | null; outcomes: { outcome: string; count: number }[] } }>(op.JOB, { id });
    if (job.status === "SUCCEEDED") return Object.fromEntries(job.outcomes.map((entry) => [entry.outcome, entry.count]));
    if (job.status === "FAILED") throw new Error(`job ${id} failed: ${job.lastError}`);
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function payInWechat(simulatorUrl: string, mchid: string, outTradeNo: string, openid: string, couponId: string | undefined): Promise<void> {
  const response = await fetch(`${simulatorUrl}/_simulator/customer/orders/pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mchid, out_trade_no: outTradeNo, openid, ...(couponId ? { coupon_id: couponId } : {}) }),
  });
  if (!response.ok) throw new Error(`paying order ${outTradeNo} in the simulator failed: ${response.status} ${await response.text()}`);
}

async function exportOrders(analyst: DemoClient, analystToken: string, campaignId: string, outputDir: string) {
  const started = await analyst.request<{ exportOrders: { export: { id: string } | null; userErrors: unknown[] } }>(op.EXPORT_ORDERS, {
    input: { format: "CSV", filter: { campaignId }, requestId: `demo-export-${randomUUID().slice(0, 8)}` },
  });
  const exportId = started.exportOrders.export?.id;
  if (!exportId) throw new Error(`starting the export failed: ${JSON.stringify(started.exportOrders.userErrors)}`);

  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const { orderExport } = await analyst.request<{
      orderExport: { status: string; rowCount: number | null; sha256: string | null; downloadUrl: string | null; error: string | null };
    }>(op.ORDER_EXPORT, { id: exportId });

    if (orderExport.status === "SUCCEEDED" && orderExport.downloadUrl) {
      // The download link expires and still needs a bearer token of the same tenant.
      const response = await fetch(orderExport.downloadUrl, { headers: { authorization: `Bearer ${analystToken}` } });
      if (!response.ok) throw new Error(`downloading the export failed: ${response.status}`);
      mkdirSync(outputDir, { recursive: true });
      const file = path.resolve(outputDir, "双十二订单导出.csv");
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      return { file, rowCount: orderExport.rowCount, sha256: orderExport.sha256 };
    }
    if (orderExport.status === "FAILED") throw new Error(`the export failed: ${orderExport.error}`);
    if (Date.now() > deadline) throw new Error("the export did not finish in time");
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Subscribe over graphql-ws and keep every update of the campaign's counts. */
function subscribeToIssuance(url: string, token: string, campaignId: string) {
  const received: IssuanceCounts[] = [];
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false });
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const dispose = client.subscribe<{ campaignIssuanceUpdated: IssuanceCounts }>(
    { query: op.ISSUANCE_SUBSCRIPTION, variables: { campaignId } },
    {
      next: (result) => {
        if (result.data) received.push(result.data.campaignIssuanceUpdated);
        resolveReady();
      },
      error: () => resolveReady(),
      complete: () => resolveReady(),
    },
  );

  return {
    ready,
    updates: () => received.length,
    last: () => received.at(-1) ?? null,
    /** Wait until an update carries these counts; updates are coalesced, so the last one is final. */
    async waitForCounts(vouchersIssued: number, redPacketsIssued: number): Promise<void> {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const last = received.at(-1);
        if (last && last.vouchersIssued === vouchersIssued && last.redPacketsIssued === redPacketsIssued) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => {
      dispose();
      void client.dispose();
    },
  };
}
