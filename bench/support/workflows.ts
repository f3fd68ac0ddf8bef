import { assertNoUserErrors, graphqlRequest } from "./graphql.js";

/** Ids of a merchant account opened in the built-in simulator, as the benchmark uses them. */
export interface SimulatorMerchant {
  id: string;
  mchid: string;
  appid: string;
}

export async function connectSimulatorMerchant(
  url: string,
  adminToken: string,
  input: { name: string; balance?: number; smallRedPacket?: boolean },
): Promise<SimulatorMerchant> {
  const data = await graphqlRequest(
    url,
    adminToken,
    `mutation Connect($input: SimulatorMerchantInput!) {
      simulatorConnectMerchantAccount(input: $input) { merchantAccount { id mchid officialAccountAppid } userErrors { code message } }
    }`,
    { input },
  );
  const payload = data["simulatorConnectMerchantAccount"];
  assertNoUserErrors(payload, "simulatorConnectMerchantAccount");
  const account = payload.merchantAccount;
  return { id: account.id, mchid: account.mchid, appid: account.officialAccountAppid };
}

export async function createCampaign(url: string, token: string, name: string): Promise<string> {
  const data = await graphqlRequest(
    url,
    token,
    `mutation Create($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { code message } } }`,
    { input: { name, status: "ACTIVE" } },
  );
  assertNoUserErrors(data["createCampaign"], "createCampaign");
  return data["createCampaign"].campaign.id;
}

/** Create a voucher stock in the simulator and register it as a batch of the campaign. */
export async function createVoucherBatch(
  url: string,
  token: string,
  input: { merchantAccountId: string; campaignId: string; maxCoupons: number },
): Promise<{ batchId: string; stockId: string }> {
  const stock = await graphqlRequest(
    url,
    token,
    `mutation Stock($input: SimulatorVoucherStockInput!) { simulatorCreateVoucherStock(input: $input) { stockId } }`,
    {
      input: {
        merchantAccountId: input.merchantAccountId,
        stockName: "满100减10",
        couponAmount: 1000,
        transactionMinimum: 10000,
        maxCoupons: input.maxCoupons,
        maxCouponsPerUser: 1,
      },
    },
  );
  const stockId: string = stock["simulatorCreateVoucherStock"].stockId;

  const registered = await graphqlRequest(
    url,
    token,
    `mutation Register($input: RegisterVoucherBatchInput!) {
      registerVoucherBatch(input: $input) { voucherBatch { id } userErrors { code message } }
    }`,
    { input: { merchantAccountId: input.merchantAccountId, stockId, campaignId: input.campaignId } },
  );
  assertNoUserErrors(registered["registerVoucherBatch"], "registerVoucherBatch");
  return { batchId: registered["registerVoucherBatch"].voucherBatch.id, stockId };
}

export async function startVoucherJob(
  url: string,
  serviceToken: string,
  input: { batchId: string; customers: { appid: string; openid: string }[]; idempotencyKey: string },
): Promise<string> {
  const data = await graphqlRequest(
    url,
    serviceToken,
    `mutation Issue($input: IssueVouchersInput!) { issueVouchers(input: $input) { job { id } } }`,
    { input },
  );
  return data["issueVouchers"].job.id;
}

export interface FinishedJob {
  id: string;
  status: string;
  processedItems: number;
  totalItems: number;
  lastError: string | null;
  outcomes: { outcome: string; count: number }[];
}

/** Job states after which a job does nothing more. */
export const FINISHED_JOB_STATUSES = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** Poll a job until it has finished; throws after `timeoutMs`. */
export async function waitForJob(url: string, token: string, jobId: string, timeoutMs: number, pollMs = 100): Promise<FinishedJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const data = await graphqlRequest(
      url,
      token,
      `query Job($id: ID!) { job(id: $id) { id status processedItems totalItems lastError outcomes { outcome count } } }`,
      { id: jobId },
    );
    const job = data["job"] as FinishedJob | null;
    if (!job) throw new Error(`job ${jobId} not found`);
    if (FINISHED_JOB_STATUSES.has(job.status)) return job;
    if (Date.now() > deadline) {
      throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms (${job.processedItems}/${job.totalItems} items)`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Distinct customers of one appid, numbered so that every run sends to the same openids. */
export function benchCustomers(appid: string, count: number, prefix: string): { appid: string; openid: string }[] {
  return Array.from({ length: count }, (_, index) => ({ appid, openid: `o${prefix}${String(index).padStart(7, "0")}` }));
}
