import type { GraphQLClient } from "graphql-request";
import { expect } from "vitest";
import {
  CreateCampaignDocument,
  CreateRedPacketDocument,
  RedPacketGrantsDocument,
  RedPacketSendJobDocument,
  type CreateRedPacketInput,
  type RedPacketGrantFieldsFragment,
  type RedPacketGrantsQuery,
} from "../generated/graphql.js";
import type { TestApp } from "../support/app.js";
import { connectSimulatedMerchant, type ConnectedMerchant } from "../support/merchants.js";
import type { ConnectMerchantAccountInput, JobItemOutcome } from "../generated/graphql.js";
import type { CreateMerchantInput } from "../../src/wechatpay/simulator/index.js";

export interface RedPacketTenant {
  tenant: string;
  admin: GraphQLClient;
  marketer: GraphQLClient;
  service: GraphQLClient;
  merchant: ConnectedMerchant;
  campaignId: string;
}

/** Create a tenant with a connected simulated merchant, a campaign, and clients for each staff role. */
export async function setUpTenant(
  test: TestApp,
  tenant: string,
  options: { simulator?: CreateMerchantInput; input?: Partial<ConnectMerchantAccountInput>; locale?: string } = {},
): Promise<RedPacketTenant> {
  const headers = { "accept-language": options.locale ?? "en" };
  const admin = await test.client({ tenant, roles: ["admin"] }, headers);
  const marketer = await test.client({ tenant, roles: ["marketer"] }, headers);
  const service = await test.client({ tenant, roles: ["service"] }, headers);
  const merchant = await connectSimulatedMerchant(test, admin, { simulator: options.simulator, input: options.input });
  const { createCampaign } = await marketer.request(CreateCampaignDocument, { input: { name: `活动 ${tenant}`, status: "ACTIVE" } });
  return { tenant, admin, marketer, service, merchant, campaignId: createCampaign.campaign!.id };
}

export function redPacketInput(setup: RedPacketTenant, overrides: Partial<CreateRedPacketInput> = {}): CreateRedPacketInput {
  return {
    name: "新会员红包",
    campaignId: setup.campaignId,
    merchantAccountId: setup.merchant.id,
    actName: "新会员有礼",
    sendName: "品牌官方",
    wishing: "恭喜发财，大吉大利",
    amount: { mode: "FIXED", fixed: 188 },
    ...overrides,
  };
}

export async function createRedPacket(setup: RedPacketTenant, overrides: Partial<CreateRedPacketInput> = {}): Promise<string> {
  const { createRedPacket } = await setup.marketer.request(CreateRedPacketDocument, { input: redPacketInput(setup, overrides) });
  expect(createRedPacket.userErrors).toEqual([]);
  return createRedPacket.redPacket!.id;
}

/** Make a customer of the merchant's official account, known to the simulator. */
export function customerOf(test: TestApp, setup: RedPacketTenant, mobile?: string) {
  const openid = test.app.services.simulator!.customer.openid(setup.merchant.appid);
  return { appid: setup.merchant.appid, openid, ...(mobile ? { mobile } : {}) };
}

/** Poll until `check` returns a value, or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Wait for a job to reach SUCCEEDED or FAILED and return it. */
export async function finishedJob(client: GraphQLClient, id: string, outcome?: JobItemOutcome) {
  return eventually(async () => {
    const { job } = await client.request(RedPacketSendJobDocument, { id, outcome: outcome ?? null });
    return job && (job.status === "SUCCEEDED" || job.status === "FAILED") ? job : undefined;
  }, 30_000);
}

/** Fetch every grant of a red packet, newest first. */
export async function allGrants(client: GraphQLClient, redPacketId: string): Promise<RedPacketGrantFieldsFragment[]> {
  const grants: RedPacketGrantFieldsFragment[] = [];
  let after: string | null = null;
  for (;;) {
    const page: RedPacketGrantsQuery = await client.request(RedPacketGrantsDocument, { filter: { redPacketId }, first: 100, after });
    grants.push(...page.redPacketGrants.edges.map((edge) => edge.node));
    if (!page.redPacketGrants.pageInfo.hasNextPage) return grants;
    after = page.redPacketGrants.pageInfo.endCursor;
  }
}
