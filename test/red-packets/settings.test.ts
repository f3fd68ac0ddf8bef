import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AwardRedPacketPrizeDocument,
  CreateRedPacketDocument,
  DeleteRedPacketDocument,
  RedPacketNodeDocument,
  RedPacketsDocument,
  UpdateRedPacketDocument,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { createRedPacket, customerOf, redPacketInput, setUpTenant, type RedPacketTenant } from "./support.js";

let test: TestApp;
let cash: RedPacketTenant;

beforeAll(async () => {
  test = await startTestApp();
  cash = await setUpTenant(test, "rp-settings");
});

afterAll(async () => {
  await test?.stop();
});

function codesAndFields(errors: { code: string; field: string[] | null }[]) {
  return errors.map((error) => [error.code, error.field?.join(".")]);
}

describe("createRedPacket", () => {
  it("createRedPacket rejects small amounts without permission", async () => {
    const { createRedPacket } = await cash.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(cash, { amount: { mode: "RANDOM", min: 50, max: 300 } }),
    });
    expect(createRedPacket.redPacket).toBeNull();
    expect(codesAndFields(createRedPacket.userErrors)).toEqual([
      ["SMALL_AMOUNT_NOT_ALLOWED", "amount.min"],
      ["SCENE_REQUIRED", "sceneId"],
    ]);
    expect(createRedPacket.userErrors[0]!.message).toContain(`small red packet permission of merchant account ${cash.merchant.credentials.mchid}`);
    expect(createRedPacket.userErrors[1]!.message).toContain("Set sceneId to one of PRODUCT_1");
  });

  it("createRedPacket requires a scene above 200 yuan", async () => {
    const { createRedPacket } = await cash.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(cash, { amount: { mode: "FIXED", fixed: 30_000 } }),
    });
    expect(codesAndFields(createRedPacket.userErrors)).toEqual([["SCENE_REQUIRED", "sceneId"]]);

    const withScene = await cash.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(cash, { amount: { mode: "FIXED", fixed: 30_000 }, sceneId: "PRODUCT_2" }),
    });
    expect(withScene.createRedPacket.userErrors).toEqual([]);
    expect(withScene.createRedPacket.redPacket!.sceneId).toBe("PRODUCT_2");
  });

  it("createRedPacket checks lengths, ranges, limits and notices", async () => {
    const { createRedPacket } = await cash.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(cash, {
        actName: "活".repeat(33),
        sendName: "",
        wishing: "祝".repeat(129),
        remark: "r".repeat(257),
        amount: { mode: "RANDOM", min: 500, max: 400 },
        limits: { totalCount: 0, dailyAmount: 300 },
        failureNotice: { enabled: true },
        warningThresholdPercent: 120,
      }),
    });
    expect(codesAndFields(createRedPacket.userErrors)).toEqual([
      ["AMOUNT_RANGE_INVERTED", "amount.min"],
      ["REQUIRED", "sendName"],
      ["TOO_LONG", "actName"],
      ["TOO_LONG", "wishing"],
      ["TOO_LONG", "remark"],
      ["LIMIT_NOT_POSITIVE", "limits.totalCount"],
      ["INVALID_THRESHOLD", "warningThresholdPercent"],
      ["REQUIRED", "failureNotice.channel"],
      ["REQUIRED", "failureNotice.text"],
    ]);
    expect(createRedPacket.userErrors[2]!.message).toBe(
      "actName may have at most 32 characters, because WeChat Pay's act_name allows no more; it has 33. Shorten it.",
    );
  });

  it("createRedPacket rejects a maximum above a limit", async () => {
    const { createRedPacket } = await cash.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(cash, { amount: { mode: "RANDOM", min: 100, max: 800 }, limits: { totalAmount: 10_000, dailyAmount: 500 } }),
    });
    expect(codesAndFields(createRedPacket.userErrors)).toEqual([["AMOUNT_ABOVE_LIMIT", "amount.max"]]);
    expect(createRedPacket.userErrors[0]!.message).toBe(
      "amount.max is 800 fen, above limits.dailyAmount (500 fen), so not even one red packet could be paid. Raise limits.dailyAmount or lower the amount.",
    );
  });

  it("createRedPacket explains problems in Chinese", async () => {
    const marketer = await test.client({ tenant: "rp-settings", roles: ["marketer"] }, { "accept-language": "zh-CN" });
    const { createRedPacket } = await marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(cash, { amount: { mode: "FIXED", fixed: 80 } }),
    });
    expect(createRedPacket.userErrors.map((error) => error.message)).toEqual([
      `amount.fixed 为 80 分，低于 100 分（1 元），需要商户号 ${cash.merchant.credentials.mchid} 开通小额红包权限。请提高到至少 100 分，或在微信支付开通权限后为该商户号打开 smallRedPacketEnabled。`,
      "amount.fixed 为 80 分，不在 100–20000 分（1–200 元）之间，微信支付要求填写场景。请将 sceneId 设为 PRODUCT_1 … PRODUCT_8 之一，或把金额控制在 100–20000 分。",
    ]);
  });

  it("createRedPacket accepts small amounts with permission", async () => {
    const small = await setUpTenant(test, "rp-settings-small", { simulator: { smallRedPacket: true }, input: { smallRedPacketEnabled: true } });
    const { createRedPacket } = await small.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(small, { amount: { mode: "RANDOM", min: 30, max: 99 }, sceneId: "PRODUCT_1" }),
    });
    expect(createRedPacket.userErrors).toEqual([]);
    expect(createRedPacket.redPacket!.amount).toEqual({ mode: "RANDOM", fixed: null, min: 30, max: 99 });
  });

  it("createRedPacket applies merchant transfer rules", async () => {
    const transfer = await setUpTenant(test, "rp-settings-transfer", {
      simulator: { cashRedPacket: false },
      input: { payoutChannel: "MERCHANT_TRANSFER", transferSceneId: "1000" },
    });
    const { createRedPacket } = await transfer.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(transfer, { wishing: "谢".repeat(33), amount: { mode: "RANDOM", min: 5, max: 200_000 } }),
    });
    expect(codesAndFields(createRedPacket.userErrors)).toEqual([
      ["TRANSFER_MINIMUM", "amount.min"],
      ["TRANSFER_NEEDS_REAL_NAME", "amount.max"],
      ["TOO_LONG", "wishing"],
    ]);
  });

  it("createRedPacket names unknown campaign and account", async () => {
    const { createRedPacket } = await cash.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(cash, {
        campaignId: Buffer.from("Campaign:00000000-0000-4000-8000-000000000000").toString("base64url"),
        merchantAccountId: Buffer.from("MerchantAccount:00000000-0000-4000-8000-000000000000").toString("base64url"),
      }),
    });
    expect(codesAndFields(createRedPacket.userErrors)).toEqual([
      ["CAMPAIGN_NOT_FOUND", "campaignId"],
      ["MERCHANT_ACCOUNT_NOT_FOUND", "merchantAccountId"],
    ]);
  });
});

describe("updateRedPacket", () => {
  it("updateRedPacket freezes amount and account once sending started", async () => {
    const redPacketId = await createRedPacket(cash, { name: "冻结测试", limits: { totalCount: 10, dailyCount: 5 } });

    const before = await cash.marketer.request(UpdateRedPacketDocument, { input: { id: redPacketId, amount: { mode: "FIXED", fixed: 200 } } });
    expect(before.updateRedPacket.userErrors).toEqual([]);
    expect(before.updateRedPacket.redPacket!.amount.fixed).toBe(200);

    for (const key of ["a", "b"]) {
      await cash.service.request(AwardRedPacketPrizeDocument, { input: { redPacketId, customer: customerOf(test, cash), idempotencyKey: key } });
    }

    const other = await setUpTenant(test, "rp-settings", {});
    const frozen = await cash.marketer.request(UpdateRedPacketDocument, {
      input: { id: redPacketId, amount: { mode: "FIXED", fixed: 300 }, merchantAccountId: other.merchant.id },
    });
    expect(codesAndFields(frozen.updateRedPacket.userErrors)).toEqual([
      ["FROZEN_AFTER_SENDING_STARTED", "amount"],
      ["FROZEN_AFTER_SENDING_STARTED", "merchantAccountId"],
    ]);

    const lowered = await cash.marketer.request(UpdateRedPacketDocument, { input: { id: redPacketId, limits: { totalCount: 1, dailyCount: 1 } } });
    expect(codesAndFields(lowered.updateRedPacket.userErrors)).toEqual([
      ["LIMIT_BELOW_USED", "limits.totalCount"],
      ["LIMIT_BELOW_USED", "limits.dailyCount"],
    ]);
    expect(lowered.updateRedPacket.userErrors[1]!.message).toBe(
      "limits.dailyCount cannot be 1: 2 are already issued or being paid today. Set it to at least 2, or leave it empty for no limit.",
    );

    const allowed = await cash.marketer.request(UpdateRedPacketDocument, {
      input: { id: redPacketId, amount: { mode: "FIXED", fixed: 200 }, limits: { totalCount: 2, dailyCount: null }, wishing: "新年快乐", warningThresholdPercent: 80 },
    });
    expect(allowed.updateRedPacket.userErrors).toEqual([]);
    const updated = allowed.updateRedPacket.redPacket!;
    expect(updated.limits).toEqual({ totalCount: 2, totalAmount: null, dailyCount: null, dailyAmount: null });
    expect(updated.wishing).toBe("新年快乐");
    expect(updated.usage.remaining.totalCount).toBe(0);
    expect(updated.usage.limitsAboveThreshold).toEqual(["TOTAL_COUNT"]);
  });
});

describe("deleteRedPacket", () => {
  it("deleteRedPacket stops new grants and keeps the record", async () => {
    const redPacketId = await createRedPacket(cash, { name: "删除测试" });
    const customer = customerOf(test, cash);
    await cash.service.request(AwardRedPacketPrizeDocument, { input: { redPacketId, customer, idempotencyKey: "before-delete" } });

    const { deleteRedPacket } = await cash.marketer.request(DeleteRedPacketDocument, { id: redPacketId });
    expect(deleteRedPacket.redPacket!.status).toBe("DELETED");

    const after = await cash.service.request(AwardRedPacketPrizeDocument, {
      input: { redPacketId, customer: customerOf(test, cash), idempotencyKey: "after-delete" },
    });
    expect(after.awardRedPacketPrize.grant!.status).toBe("FAILED");
    expect(after.awardRedPacketPrize.grant!.failureCode).toBe("RED_PACKET_DELETED");
    expect(after.awardRedPacketPrize.grant!.limitReached).toBe(false);

    const repeat = await cash.service.request(AwardRedPacketPrizeDocument, { input: { redPacketId, customer, idempotencyKey: "before-delete" } });
    expect(repeat.awardRedPacketPrize.grant!.status).toBe("ISSUED");

    const edit = await cash.marketer.request(UpdateRedPacketDocument, { input: { id: redPacketId, name: "改名" } });
    expect(codesAndFields(edit.updateRedPacket.userErrors)).toEqual([["RED_PACKET_DELETED", "id"]]);

    const active = await cash.marketer.request(RedPacketsDocument, { filter: { search: "删除测试" } });
    expect(active.redPackets.totalCount).toBe(0);
    const deleted = await cash.marketer.request(RedPacketsDocument, { filter: { search: "删除测试", status: ["DELETED"] } });
    expect(deleted.redPackets.edges[0]!.node.usage.issuedCount).toBe(1);
    expect(deleted.redPackets.edges[0]!.node.usage.failedCount).toBe(1);
  });
});

describe("redPackets", () => {
  it("redPackets pages, filters and refetches by node", async () => {
    const listing = await setUpTenant(test, "rp-settings-list");
    const ids: string[] = [];
    for (const name of ["甲", "乙", "丙"]) ids.push(await createRedPacket(listing, { name }));

    const first = await listing.marketer.request(RedPacketsDocument, { first: 2 });
    expect(first.redPackets.totalCount).toBe(3);
    expect(first.redPackets.edges.map((edge) => edge.node.name)).toEqual(["丙", "乙"]);
    const second = await listing.marketer.request(RedPacketsDocument, { first: 2, after: first.redPackets.pageInfo.endCursor });
    expect(second.redPackets.edges.map((edge) => edge.node.name)).toEqual(["甲"]);

    const byCampaign = await listing.marketer.request(RedPacketsDocument, { filter: { campaignId: listing.campaignId } });
    expect(byCampaign.redPackets.totalCount).toBe(3);
    const byOtherCampaign = await cash.marketer.request(RedPacketsDocument, { filter: { campaignId: listing.campaignId } });
    expect(byOtherCampaign.redPackets.totalCount).toBe(0);

    const { node } = await listing.marketer.request(RedPacketNodeDocument, { id: ids[0]! });
    expect(node).toEqual({ id: ids[0], name: "甲" });
    const foreign = await cash.marketer.request(RedPacketNodeDocument, { id: ids[0]! });
    expect(foreign.node).toBeNull();
  });
});
