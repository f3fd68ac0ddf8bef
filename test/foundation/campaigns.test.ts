import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError } from "graphql-request";
import {
  CampaignByExternalIdDocument,
  CampaignDocument,
  CampaignsDocument,
  CreateCampaignDocument,
  NodeByIdDocument,
  UpdateCampaignDocument,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp();
});

afterAll(async () => {
  await test?.stop();
});

describe("tenant isolation", () => {
  it("hides another tenant's campaign", async () => {
    const owner = await test.client({ tenant: "brand-a", roles: ["marketer"] });
    const other = await test.client({ tenant: "brand-b", roles: ["admin"] });

    const { createCampaign } = await owner.request(CreateCampaignDocument, { input: { name: "品牌A 周年庆" } });
    const id = createCampaign.campaign!.id;

    expect((await owner.request(NodeByIdDocument, { id })).node).toMatchObject({ id, name: "品牌A 周年庆" });
    expect((await other.request(NodeByIdDocument, { id })).node).toBeNull();
    expect((await other.request(CampaignDocument, { id })).campaign).toBeNull();
    expect((await other.request(CampaignsDocument, {})).campaigns.totalCount).toBe(0);

    const update = await other
      .request(UpdateCampaignDocument, { input: { id, name: "hijacked" } })
      .catch((error: ClientError) => error);
    const [error] = (update as ClientError).response.errors ?? [];
    expect(error?.extensions?.["code"]).toBe("NOT_FOUND");
    expect(JSON.stringify((update as ClientError).response)).not.toContain("品牌A");
  });

  it("rejects a malformed id with BAD_USER_INPUT", async () => {
    const client = await test.client({ tenant: "brand-a" });
    const result = await client.request(CampaignDocument, { id: "not-an-id" }).catch((error: ClientError) => error);
    expect((result as ClientError).response.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "INVALID_ID",
    });
  });
});

describe("campaigns", () => {
  it("pages through campaigns with cursors and totals", async () => {
    const client = await test.client({ tenant: "paging" });
    for (let index = 1; index <= 5; index++) {
      await client.request(CreateCampaignDocument, { input: { name: `活动 ${index}` } });
    }

    const first = await client.request(CampaignsDocument, { first: 2 });
    expect(first.campaigns.totalCount).toBe(5);
    expect(first.campaigns.edges.map((edge) => edge.node.name)).toEqual(["活动 5", "活动 4"]);
    expect(first.campaigns.pageInfo.hasNextPage).toBe(true);

    const second = await client.request(CampaignsDocument, { first: 2, after: first.campaigns.pageInfo.endCursor });
    expect(second.campaigns.edges.map((edge) => edge.node.name)).toEqual(["活动 3", "活动 2"]);

    const third = await client.request(CampaignsDocument, { first: 2, after: second.campaigns.pageInfo.endCursor });
    expect(third.campaigns.edges.map((edge) => edge.node.name)).toEqual(["活动 1"]);
    expect(third.campaigns.pageInfo.hasNextPage).toBe(false);
  });

  it("filters by name and status", async () => {
    const client = await test.client({ tenant: "filters" });
    await client.request(CreateCampaignDocument, { input: { name: "中秋 100% 好礼", status: "ACTIVE" } });
    await client.request(CreateCampaignDocument, { input: { name: "国庆", status: "DRAFT" } });

    const bySearch = await client.request(CampaignsDocument, { filter: { search: "100%" } });
    expect(bySearch.campaigns.edges.map((edge) => edge.node.name)).toEqual(["中秋 100% 好礼"]);
    const byStatus = await client.request(CampaignsDocument, { filter: { status: ["DRAFT"] } });
    expect(byStatus.campaigns.edges.map((edge) => edge.node.name)).toEqual(["国庆"]);
  });

  it("returns user errors for invalid input", async () => {
    const client = await test.client({ tenant: "validation" }, { "accept-language": "zh-CN" });
    const { createCampaign } = await client.request(CreateCampaignDocument, {
      input: { name: " ", startsAt: "2026-12-10T00:00:00+08:00", endsAt: "2026-12-01T00:00:00+08:00" },
    });
    expect(createCampaign.campaign).toBeNull();
    expect(createCampaign.userErrors.map((error) => error.code)).toEqual(["REQUIRED", "INVALID_TIME_RANGE"]);
    expect(createCampaign.userErrors[0]?.message).toBe("name 为必填项。");
  });

  it("rejects a duplicate external id", async () => {
    const client = await test.client({ tenant: "external" });
    await client.request(CreateCampaignDocument, { input: { name: "A", externalId: "crm-42" } });
    const { createCampaign } = await client.request(CreateCampaignDocument, { input: { name: "B", externalId: "crm-42" } });
    expect(createCampaign.userErrors[0]).toMatchObject({ code: "EXTERNAL_ID_TAKEN", field: ["externalId"] });

    const { campaignByExternalId } = await client.request(CampaignByExternalIdDocument, { externalId: "crm-42" });
    expect(campaignByExternalId).toMatchObject({ name: "A", externalId: "crm-42" });
    const other = await test.client({ tenant: "someone-else" });
    expect((await other.request(CampaignByExternalIdDocument, { externalId: "crm-42" })).campaignByExternalId).toBeNull();
  });

  it("rejects an oversized page", async () => {
    const client = await test.client({ tenant: "paging" });
    const result = await client.request(CampaignsDocument, { first: 1000 }).catch((error: ClientError) => error);
    expect((result as ClientError).response.errors?.[0]?.extensions?.["reason"]).toBe("INVALID_PAGE_SIZE");
  });
});
