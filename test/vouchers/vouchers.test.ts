import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import {
  ClaimVoucherDocument,
  IssueVouchersDocument,
  RegisterVoucherBatchDocument,
  SaveVoucherModuleDocument,
  SetMerchantAccountStatusDocument,
  SyncVoucherBatchDocument,
  VoucherBatchesDocument,
  VoucherJobDocument,
  VoucherModuleDocument,
  CreateCampaignDocument,
  CustomersDocument,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { connectSimulatedMerchant, type ConnectedMerchant } from "../support/merchants.js";
import { customerEvents } from "../../src/modules/events/customer-event.table.js";
import { voucherGrants } from "../../src/modules/vouchers/voucher.tables.js";
import type { GraphQLClient } from "graphql-request";

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp();
});

afterAll(async () => {
  await test?.stop();
});

interface Setup {
  tenant: string;
  marketer: GraphQLClient;
  merchant: ConnectedMerchant;
  batchId: string;
  stockId: string;
  campaignId: string;
}

async function setUpBatch(tenant: string, stock: Partial<Parameters<NonNullable<TestApp["app"]["services"]["simulator"]>["createStock"]>[1]> = {}): Promise<Setup> {
  const admin = await test.client({ tenant, roles: ["admin"] });
  const marketer = await test.client({ tenant, roles: ["marketer"] });
  const merchant = await connectSimulatedMerchant(test, admin);
  const created = test.app.services.simulator!.createStock(merchant.credentials.mchid, {
    stock_name: "满100减10",
    coupon_amount: 1000,
    transaction_minimum: 10000,
    max_coupons: 5000,
    max_coupons_per_user: 1,
    ...stock,
  });
  const { createCampaign } = await marketer.request(CreateCampaignDocument, { input: { name: "开学季" } });
  const campaignId = createCampaign.campaign!.id;
  const { registerVoucherBatch } = await marketer.request(RegisterVoucherBatchDocument, {
    input: { merchantAccountId: merchant.id, stockId: String(created["stock_id"]), campaignId },
  });
  expect(registerVoucherBatch.userErrors).toEqual([]);
  return { tenant, marketer, merchant, batchId: registerVoucherBatch.voucherBatch!.id, stockId: String(created["stock_id"]), campaignId };
}

describe("voucher batches", () => {
  it("registers a batch with WeChat Pay's settings", async () => {
    const { marketer, stockId } = await setUpBatch("v-register");
    const { voucherBatches } = await marketer.request(VoucherBatchesDocument, { filter: { search: stockId } });
    expect(voucherBatches.totalCount).toBe(1);
    expect(voucherBatches.edges[0]!.node).toMatchObject({
      stockId,
      name: "满100减10",
      wechatStatus: "running",
      couponAmount: 1000,
      transactionMinimum: 10000,
      maxCoupons: 5000,
      maxCouponsPerUser: 1,
      issuedCount: 0,
      remaining: 5000,
    });
  });

  it("rejects a batch WeChat Pay does not know", async () => {
    const admin = await test.client({ tenant: "v-unknown", roles: ["admin"] }, { "accept-language": "zh-CN" });
    const merchant = await connectSimulatedMerchant(test, admin);
    const { registerVoucherBatch } = await admin.request(RegisterVoucherBatchDocument, {
      input: { merchantAccountId: merchant.id, stockId: "99999999" },
    });
    expect(registerVoucherBatch.voucherBatch).toBeNull();
    expect(registerVoucherBatch.userErrors[0]).toMatchObject({ code: "STOCK_NOT_FOUND", field: ["stockId"] });
    expect(registerVoucherBatch.userErrors[0]!.message).toContain("99999999");
  });

  it("syncs status changes on demand", async () => {
    const { marketer, merchant, batchId, stockId } = await setUpBatch("v-sync");
    test.app.services.simulator!.setStockStatus(merchant.credentials.mchid, stockId, "paused");
    const { syncVoucherBatch } = await marketer.request(SyncVoucherBatchDocument, { id: batchId });
    expect(syncVoucherBatch.voucherBatch?.wechatStatus).toBe("paused");
  });
});

describe("claiming from a page", () => {
  it("issues once, shows the pop-up and explains a limit", async () => {
    const { tenant, marketer, merchant, batchId, stockId } = await setUpBatch("v-claim");
    const saved = await marketer.request(SaveVoucherModuleDocument, {
      input: { pageId: "page-1", moduleKey: "coupon-a", batchId, popupKind: "MESSAGE", popupMessage: "领取成功，快去使用吧！" },
    });
    expect(saved.saveVoucherModule.userErrors).toEqual([]);

    const openid = test.app.services.simulator!.customer.openid(merchant.appid);
    const customer = await test.client({ tenant, roles: ["customer"], appid: merchant.appid, openid }, { "accept-language": "zh-CN" });

    const view = await customer.request(VoucherModuleDocument, { pageId: "page-1", moduleKey: "coupon-a" });
    expect(view.voucherModule).toMatchObject({ batchName: "满100减10", couponAmount: 1000, claimable: true });

    const first = await customer.request(ClaimVoucherDocument, { input: { pageId: "page-1", moduleKey: "coupon-a", requestId: "tap-000000001" } });
    expect(first.claimVoucher).toMatchObject({ status: "ISSUED", popupKind: "MESSAGE", popupMessage: "领取成功，快去使用吧！" });

    const retried = await customer.request(ClaimVoucherDocument, { input: { pageId: "page-1", moduleKey: "coupon-a", requestId: "tap-000000001" } });
    expect(retried.claimVoucher.couponId).toBe(first.claimVoucher.couponId);

    const again = await customer.request(ClaimVoucherDocument, { input: { pageId: "page-1", moduleKey: "coupon-a", requestId: "tap-000000002" } });
    expect(again.claimVoucher).toMatchObject({ status: "LIMIT_REACHED", reason: "PER_USER_LIMIT", message: "您领取该批次代金券的数量已达上限。" });

    expect(test.app.services.simulator!.state.coupons({ stock_id: stockId, openid })).toHaveLength(1);
    const events = await test.app.services.db.select().from(customerEvents).where(eq(customerEvents.tenantId, tenant));
    expect(events.map((event) => event.type).sort()).toEqual(["VOUCHER_COLLECTED", "VOUCHER_ISSUED"]);
    expect(events.every((event) => event.wechatObjectId === first.claimVoucher.couponId)).toBe(true);
  });

  it("reports a batch that has not started yet", async () => {
    const start = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const { marketer, merchant, batchId, tenant } = await setUpBatch("v-not-started", { start_time: start });
    await marketer.request(SaveVoucherModuleDocument, {
      input: { pageId: "page-2", moduleKey: "m", batchId, popupKind: "PICTURE", popupPictureUrl: "https://cdn.example.com/ok.png" },
    });
    const customer = await test.client({ tenant, roles: ["customer"], appid: merchant.appid, openid: "o-early-bird" });
    const claim = await customer.request(ClaimVoucherDocument, { input: { pageId: "page-2", moduleKey: "m", requestId: "tap-000000003" } });
    expect(claim.claimVoucher.reason).toBe("NOT_STARTED");
    expect(claim.claimVoucher.message).toMatch(/^This voucher cannot be claimed yet/);
  });

  it("issues nothing from a disabled merchant account", async () => {
    const { marketer, merchant, batchId, tenant, stockId } = await setUpBatch("v-disabled");
    await marketer.request(SaveVoucherModuleDocument, { input: { pageId: "p", moduleKey: "m", batchId, popupKind: "MESSAGE", popupMessage: "ok" } });
    const admin = await test.client({ tenant, roles: ["admin"] });
    await admin.request(SetMerchantAccountStatusDocument, { input: { id: merchant.id, status: "DISABLED" } });

    const customer = await test.client({ tenant, roles: ["customer"], appid: merchant.appid, openid: "o-disabled" });
    const claim = await customer.request(ClaimVoucherDocument, { input: { pageId: "p", moduleKey: "m", requestId: "tap-000000004" } });
    expect(claim.claimVoucher.reason).toBe("MERCHANT_DISABLED");
    expect(test.app.services.simulator!.state.coupons({ stock_id: stockId })).toHaveLength(0);
  });

  it("validates the module settings", async () => {
    const { marketer, batchId } = await setUpBatch("v-module-validation");
    const { saveVoucherModule } = await marketer.request(SaveVoucherModuleDocument, {
      input: { pageId: "", moduleKey: "m", batchId, popupKind: "PICTURE" },
    });
    expect(saveVoucherModule.userErrors.map((error) => error.code)).toEqual(["REQUIRED", "POPUP_MISSING"]);
  });
});

describe("issuing from a workflow", () => {
  it("sends to 1,000 customers exactly once despite a lost response and a replayed job", async () => {
    const { tenant, merchant, batchId, stockId } = await setUpBatch("v-bulk", { max_coupons: 100_000 });
    const simulator = test.app.services.simulator!;
    const service = await test.client({ tenant, roles: ["service"] });
    const customers = Array.from({ length: 1000 }, (_, index) => ({ appid: merchant.appid, openid: `o-bulk-${index}` }));

    // WeChat Pay processes one send but the answer never arrives; the same request number is sent again.
    simulator.faults.inject({ mchid: merchant.credentials.mchid, operation: "sendCoupon", fault: { lostResponse: true }, times: 3 });
    simulator.faults.inject({ mchid: merchant.credentials.mchid, operation: "sendCoupon", fault: { errorCode: "SYSTEM_ERROR", processed: true }, times: 2 });

    const input = { batchId, customers, idempotencyKey: "workflow-run-42" };
    const first = await service.request(IssueVouchersDocument, { input });
    const replay = await service.request(IssueVouchersDocument, { input });
    expect(replay.issueVouchers.job.id).toBe(first.issueVouchers.job.id);

    const job = await waitForJob(service, first.issueVouchers.job.id);
    expect(job.status).toBe("SUCCEEDED");
    expect(job.outcomes).toEqual([{ outcome: "ISSUED", count: 1000 }]);

    const coupons = simulator.state.coupons({ stock_id: stockId });
    expect(coupons).toHaveLength(1000);
    expect(new Set(coupons.map((coupon) => coupon.openid)).size).toBe(1000);

    const events = await test.app.services.db
      .select()
      .from(customerEvents)
      .where(and(eq(customerEvents.tenantId, tenant), eq(customerEvents.type, "VOUCHER_ISSUED")));
    expect(events).toHaveLength(1000);
    expect(new Set(events.map((event) => event.wechatObjectId))).toEqual(new Set(coupons.map((coupon) => coupon.coupon_id)));

    // A second run of the same job (as after a lease expiry) sends nothing new.
    const { voucherIssueJobHandler } = await import("../../src/modules/vouchers/voucher-workflow.service.js");
    const jobs = await import("../../src/modules/jobs/job.tables.js");
    await test.app.services.db.update(jobs.jobItems).set({ status: "PENDING" }).where(eq(jobs.jobItems.tenantId, tenant));
    const [row] = await test.app.services.db.select().from(jobs.jobs).where(eq(jobs.jobs.tenantId, tenant));
    const { TenantScope } = await import("../../src/db/tenant-scope.js");
    await voucherIssueJobHandler(row!, {
      scope: new TenantScope(tenant, test.app.services.db),
      services: test.app.services,
      logger: test.app.services.logger,
      isStopping: () => false,
    });
    expect(simulator.state.coupons({ stock_id: stockId })).toHaveLength(1000);
  }, 120_000);

  it("reports per-customer outcomes for branching", async () => {
    const { tenant, merchant, batchId } = await setUpBatch("v-branch", { max_coupons: 3 });
    const service = await test.client({ tenant, roles: ["service"] });
    const customers = Array.from({ length: 5 }, (_, index) => ({ appid: merchant.appid, openid: `o-branch-${index}` }));
    const { issueVouchers } = await service.request(IssueVouchersDocument, { input: { batchId, customers, idempotencyKey: "run-branch" } });
    await waitForJob(service, issueVouchers.job.id);
    const limited = await service.request(VoucherJobDocument, { id: issueVouchers.job.id, outcome: "LIMIT_REACHED" });
    expect(limited.job!.items.totalCount).toBe(2);
    expect(limited.job!.items.edges.every((edge) => (edge.node.detail as { reason: string }).reason === "BATCH_EXHAUSTED")).toBe(true);
  });
});

describe("redemption", () => {
  it("records a redemption once from the payment's coupon-use notification", async () => {
    const { tenant, merchant, batchId, stockId, marketer } = await setUpBatch("v-redeem");
    await marketer.request(SaveVoucherModuleDocument, { input: { pageId: "p", moduleKey: "m", batchId, popupKind: "MESSAGE", popupMessage: "ok" } });
    const simulator = test.app.services.simulator!;
    const openid = simulator.customer.openid(merchant.appid);
    const customer = await test.client({ tenant, roles: ["customer"], appid: merchant.appid, openid });
    const claim = await customer.request(ClaimVoucherDocument, { input: { pageId: "p", moduleKey: "m", requestId: "tap-redeem-0001" } });
    const couponId = claim.claimVoucher.couponId!;

    // The customer pays an order with the voucher; WeChat Pay then sends COUPON.USE, twice.
    simulator.faults.inject({ mchid: merchant.credentials.mchid, operation: "COUPON.USE", fault: { duplicate: true } });
    const client = test.app.services.wechatPay.clientFor(
      (await test.app.services.db.query.merchantAccounts.findFirst({ where: (table, { eq: equals }) => equals(table.tenantId, tenant) }))!,
    );
    const order = await client.createJsapiOrder({
      appid: merchant.appid,
      description: "测试商品",
      out_trade_no: `T${Date.now()}`,
      notify_url: `${test.url}/wechatpay/notify/ignored/none`,
      amount: { total: 12000, currency: "CNY" },
      payer: { openid },
    });
    expect(order.ok).toBe(true);
    const outTradeNo = simulator.state.orders(merchant.credentials.mchid).at(-1)!.out_trade_no as string;
    simulator.customer.payOrder(merchant.credentials.mchid, outTradeNo, { coupon_id: couponId });
    await simulator.notifications.waitForIdle(10_000);

    const redeemed = await test.app.services.db
      .select()
      .from(customerEvents)
      .where(and(eq(customerEvents.tenantId, tenant), eq(customerEvents.type, "VOUCHER_REDEEMED")));
    expect(redeemed).toHaveLength(1);
    expect(redeemed[0]).toMatchObject({ wechatObjectId: couponId, amount: 1000, source: "WECHATPAY" });

    const { voucherBatches } = await marketer.request(VoucherBatchesDocument, { filter: { search: stockId } });
    expect(voucherBatches.edges[0]!.node).toMatchObject({ issuedCount: 1, collectedCount: 1, redeemedCount: 1 });
    const [grant] = await test.app.services.db.select().from(voucherGrants).where(eq(voucherGrants.couponId, couponId));
    expect(grant?.redeemedAt).toBeInstanceOf(Date);
  });
});

async function waitForJob(client: GraphQLClient, id: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { job } = await client.request(VoucherJobDocument, { id });
    if (job && (job.status === "SUCCEEDED" || job.status === "FAILED")) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("customers", () => {
  it("links a customer's vouchers and events", async () => {
    const { tenant, marketer, merchant, batchId } = await setUpBatch("v-customer");
    await marketer.request(SaveVoucherModuleDocument, { input: { pageId: "p", moduleKey: "m", batchId, popupKind: "MESSAGE", popupMessage: "ok" } });
    const customer = await test.client({ tenant, roles: ["customer"], appid: merchant.appid, openid: "o-linked" });
    await customer.request(ClaimVoucherDocument, { input: { pageId: "p", moduleKey: "m", requestId: "tap-linked-01" } });

    const service = await test.client({ tenant, roles: ["service"] });
    const { issueVouchers } = await service.request(IssueVouchersDocument, {
      input: { batchId, customers: [{ appid: merchant.appid, openid: "o-mobile", mobile: "138 0013 8000" }], idempotencyKey: "mobile-run" },
    });
    await waitForJob(service, issueVouchers.job.id);

    const linked = await marketer.request(CustomersDocument, { filter: { openid: "o-linked" } });
    const node = linked.customers.edges[0]!.node;
    expect(node.vouchers).toEqual([{ couponId: expect.any(String), status: "ISSUED", source: "PAGE" }]);
    expect(node.events.edges.map((edge) => edge.node.type).sort()).toEqual(["VOUCHER_COLLECTED", "VOUCHER_ISSUED"]);

    const byMobile = await marketer.request(CustomersDocument, { filter: { mobile: "+86 138" } });
    expect(byMobile.customers.edges.map((edge) => edge.node.mobile)).toEqual(["+8613800138000"]);
  });
});

describe("voucher input checks", () => {
  it("tells a customer at the per-user limit and a foreign AppID", async () => {
    const { tenant, marketer, merchant, batchId } = await setUpBatch("v-checks");
    await marketer.request(SaveVoucherModuleDocument, { input: { pageId: "p", moduleKey: "m", batchId, popupKind: "MESSAGE", popupMessage: "ok" } });
    const customer = await test.client({ tenant, roles: ["customer"], appid: merchant.appid, openid: "o-once" });
    await customer.request(ClaimVoucherDocument, { input: { pageId: "p", moduleKey: "m", requestId: "tap-checks-001" } });
    const view = await customer.request(VoucherModuleDocument, { pageId: "p", moduleKey: "m" });
    expect(view.voucherModule).toMatchObject({ claimable: false, unavailableReason: "PER_USER_LIMIT" });

    const stranger = await test.client({ tenant, roles: ["customer"], appid: "wx0000000000000000", openid: "o-stranger" });
    const claim = await stranger.request(ClaimVoucherDocument, { input: { pageId: "p", moduleKey: "m", requestId: "tap-checks-002" } });
    expect(claim.claimVoucher).toMatchObject({ status: "UNAVAILABLE", reason: "APPID_NOT_BOUND" });
  });

  it("rejects empty lists, reused keys and bad batch numbers", async () => {
    const { tenant, marketer, merchant, batchId } = await setUpBatch("v-input");
    const service = await test.client({ tenant, roles: ["service"] });
    const empty = await service.request(IssueVouchersDocument, { input: { batchId, customers: [], idempotencyKey: "k-empty" } }).catch((error) => error);
    expect(empty.response.errors[0].extensions.reason).toBe("NO_CUSTOMERS");

    const customers = [{ appid: merchant.appid, openid: "o-key-1" }];
    await service.request(IssueVouchersDocument, { input: { batchId, customers, idempotencyKey: "k-reused" } });
    const reused = await service
      .request(IssueVouchersDocument, { input: { batchId, customers: [{ appid: merchant.appid, openid: "o-key-2" }], idempotencyKey: "k-reused" } })
      .catch((error) => error);
    expect(reused.response.errors[0].extensions).toMatchObject({ code: "CONFLICT", reason: "IDEMPOTENCY_KEY_REUSED" });

    const { registerVoucherBatch } = await marketer.request(RegisterVoucherBatchDocument, { input: { merchantAccountId: merchant.id, stockId: "中文批次" } });
    expect(registerVoucherBatch.userErrors[0]?.code).toBe("INVALID_STOCK_ID");

    const { saveVoucherModule } = await marketer.request(SaveVoucherModuleDocument, {
      input: { pageId: "p", moduleKey: "m2", batchId, popupKind: "PICTURE", popupPictureUrl: "javascript:alert(1)" },
    });
    expect(saveVoucherModule.userErrors[0]?.code).toBe("INVALID_URL");
  });
});
