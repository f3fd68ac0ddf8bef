import { describe, expect, it } from "vitest";
import { crossedThresholds, limitBrokenBy, localDay, planSend, remainingQuota, type QuotaLimits } from "../../src/modules/red-packets/quota.js";
import { chinaDate, grantRequestNo } from "../../src/modules/red-packets/request-number.js";
import { parseAmount, validateRedPacketSettings, type RedPacketSettings } from "../../src/modules/red-packets/settings-validation.js";
import { isLimitCode } from "../../src/modules/red-packets/payout.js";
import { smsChannel, templateMessageChannel } from "../../src/modules/notices/notice-channels.js";

const unlimited: QuotaLimits = { totalCount: null, totalAmount: null, dailyCount: null, dailyAmount: null };
const none = { totalCount: 0, totalAmount: 0, dailyCount: 0, dailyAmount: 0 };

describe("grantRequestNo", () => {
  it("grantRequestNo builds mchid, China date and 10 digits", () => {
    const number = grantRequestNo("1900000109", new Date("2026-07-01T16:30:00Z"), 42);
    expect(number).toBe("1900000109202607020000000042");
    expect(number).toHaveLength(28);
  });

  it("grantRequestNo keeps 28 characters for long merchant numbers", () => {
    const number = grantRequestNo("123456789012345", new Date("2026-07-01T00:00:00Z"), 12_345_678_901);
    expect(number).toBe("6789012345202607012345678901");
  });

  it("grantRequestNo is the same for the same grant", () => {
    const at = new Date("2026-01-31T23:59:59+08:00");
    expect(grantRequestNo("1600000001", at, 7)).toBe(grantRequestNo("1600000001", new Date(at), 7));
    expect(chinaDate(at)).toBe("20260131");
  });

  it("grantRequestNo rejects a malformed merchant number", () => {
    expect(() => grantRequestNo("16x", new Date(), 1)).toThrow(/digits/);
  });
});

describe("localDay", () => {
  it("localDay follows the time zone's midnight", () => {
    const instant = new Date("2026-03-01T16:30:00Z");
    expect(localDay(instant, "Asia/Shanghai")).toBe("2026-03-02");
    expect(localDay(instant, "UTC")).toBe("2026-03-01");
    expect(localDay(instant, "America/Los_Angeles")).toBe("2026-03-01");
  });
});

describe("limitBrokenBy", () => {
  it("limitBrokenBy names the first limit a grant breaks", () => {
    const limits = { totalCount: 50, totalAmount: null, dailyCount: null, dailyAmount: 10_000 };
    expect(limitBrokenBy(limits, { ...none, totalCount: 49, dailyAmount: 9_800 }, 200)).toBeUndefined();
    expect(limitBrokenBy(limits, { ...none, totalCount: 49, dailyAmount: 9_801 }, 200)).toBe("DAILY_AMOUNT");
    expect(limitBrokenBy(limits, { ...none, totalCount: 50, dailyAmount: 9_801 }, 200)).toBe("TOTAL_COUNT");
    expect(limitBrokenBy(unlimited, { totalCount: 1e9, totalAmount: 1e12, dailyCount: 1e9, dailyAmount: 1e12 }, 20_000)).toBeUndefined();
  });

  it("remainingQuota never goes below zero", () => {
    const remaining = remainingQuota({ totalCount: 5, totalAmount: 1000, dailyCount: null, dailyAmount: 300 }, { ...none, totalCount: 7, totalAmount: 400, dailyAmount: 300 });
    expect(remaining).toEqual({ totalCount: 0, totalAmount: 600, dailyCount: null, dailyAmount: 0 });
  });
});

describe("crossedThresholds", () => {
  const limits = { totalCount: 10, totalAmount: 1000, dailyCount: null, dailyAmount: null };

  it("crossedThresholds reports the grant that reaches the threshold", () => {
    expect(crossedThresholds(limits, { ...none, totalCount: 7, totalAmount: 700 }, { ...none, totalCount: 8, totalAmount: 800 }, 80)).toEqual([
      { kind: "TOTAL_COUNT", used: 8, limit: 10 },
      { kind: "TOTAL_AMOUNT", used: 800, limit: 1000 },
    ]);
  });

  it("crossedThresholds stays quiet above and below the threshold", () => {
    expect(crossedThresholds(limits, { ...none, totalCount: 8, totalAmount: 810 }, { ...none, totalCount: 9, totalAmount: 900 }, 80)).toEqual([]);
    expect(crossedThresholds(limits, { ...none, totalCount: 5, totalAmount: 500 }, { ...none, totalCount: 6, totalAmount: 600 }, 80)).toEqual([]);
    expect(crossedThresholds(limits, { ...none, totalCount: 7 }, { ...none, totalCount: 8 }, null)).toEqual([]);
  });

  it("crossedThresholds reports a crossing again after a release", () => {
    const released = { ...none, totalCount: 7 };
    expect(crossedThresholds({ ...limits, totalAmount: null }, released, { ...none, totalCount: 8 }, 80)).toEqual([{ kind: "TOTAL_COUNT", used: 8, limit: 10 }]);
  });
});

describe("planSend", () => {
  it("planSend counts fixed grants against every limit", () => {
    const plan = planSend({
      limits: { totalCount: 10, totalAmount: null, dailyCount: null, dailyAmount: 1000 },
      usage: { ...none, totalCount: 2, totalAmount: 300, dailyAmount: 300 },
      minAmount: 150,
      maxAmount: 150,
      customers: 8,
    });
    expect(plan).toEqual({ guaranteed: 4, possible: 4, bindingLimit: "DAILY_AMOUNT" });
  });

  it("planSend spreads random amounts between certain and possible", () => {
    const plan = planSend({ limits: { ...unlimited, dailyAmount: 1000 }, usage: none, minAmount: 100, maxAmount: 300, customers: 20 });
    expect(plan).toEqual({ guaranteed: 3, possible: 10, bindingLimit: "DAILY_AMOUNT" });
  });

  it("planSend allows everyone without limits", () => {
    expect(planSend({ limits: unlimited, usage: none, minAmount: 100, maxAmount: 300, customers: 5 })).toEqual({
      guaranteed: 5,
      possible: 5,
      bindingLimit: undefined,
    });
  });
});

describe("validateRedPacketSettings", () => {
  const settings: RedPacketSettings = {
    name: "测试",
    actName: "活动",
    sendName: "品牌",
    wishing: "恭喜发财",
    remark: null,
    sceneId: null,
    amountMode: "FIXED",
    minAmount: 100,
    maxAmount: 100,
    limits: unlimited,
    warningThresholdPercent: null,
    failureNotice: { enabled: false, channel: null, text: null },
  };
  const cashAccount = { mchid: "1600000001", payoutChannel: "CASH_RED_PACKET" as const, smallRedPacketEnabled: false, transferSceneId: null };

  it("validateRedPacketSettings accepts the boundaries of the scene-free range", () => {
    expect(validateRedPacketSettings({ ...settings, minAmount: 100, maxAmount: 20_000, amountMode: "RANDOM" }, cashAccount)).toEqual([]);
    expect(validateRedPacketSettings({ ...settings, minAmount: 100, maxAmount: 20_001, amountMode: "RANDOM" }, cashAccount).map((problem) => problem.code)).toEqual([
      "SCENE_REQUIRED",
    ]);
  });

  it("validateRedPacketSettings counts characters, not bytes", () => {
    expect(validateRedPacketSettings({ ...settings, actName: "活".repeat(32), sendName: "😀".repeat(32) }, cashAccount)).toEqual([]);
  });

  it("validateRedPacketSettings checks transfer scenes", () => {
    const transfer = { ...cashAccount, payoutChannel: "MERCHANT_TRANSFER" as const };
    expect(validateRedPacketSettings(settings, transfer).map((problem) => problem.code)).toEqual(["TRANSFER_SCENE_MISSING"]);
    expect(validateRedPacketSettings(settings, { ...transfer, transferSceneId: "1005" }).map((problem) => problem.code)).toEqual(["TRANSFER_SCENE_UNSUPPORTED"]);
    expect(validateRedPacketSettings(settings, { ...transfer, transferSceneId: "1000" })).toEqual([]);
  });

  it("parseAmount reports missing fields per mode", () => {
    expect(parseAmount({ mode: "FIXED" }).problems.map((problem) => problem.field.join("."))).toEqual(["amount.fixed"]);
    expect(parseAmount({ mode: "RANDOM", min: 100 }).problems.map((problem) => problem.field.join("."))).toEqual(["amount.max"]);
    expect(parseAmount({ mode: "RANDOM", min: 100, max: 300 })).toEqual({ minAmount: 100, maxAmount: 300, problems: [] });
  });
});

describe("isLimitCode", () => {
  it("isLimitCode matches both spellings of WeChat Pay's limit codes", () => {
    expect(isLimitCode("SENDNUM_LIMIT")).toBe(true);
    expect(isLimitCode("SENDNUMLIMIT")).toBe(true);
    expect(isLimitCode("DAY_RECEIVED_QUOTA_EXCEED")).toBe(true);
    expect(isLimitCode("NOTENOUGH")).toBe(false);
  });
});

describe("notice channels", () => {
  const recipient = { appid: "wx1111111111111111", openid: "o-customer", mobile: null, officialAccountAppid: "wx1111111111111111" };

  it("templateMessageChannel needs an openid under the official account", () => {
    expect(templateMessageChannel.prepare(recipient, "没抢到").ok).toBe(true);
    expect(templateMessageChannel.prepare({ ...recipient, appid: "wx2222222222222222" }, "没抢到")).toEqual({
      ok: false,
      reason: "OPENID_NOT_UNDER_OFFICIAL_ACCOUNT",
    });
  });

  it("smsChannel needs a mobile number", () => {
    expect(smsChannel.prepare(recipient, "没抢到")).toEqual({ ok: false, reason: "NO_MOBILE" });
    expect(smsChannel.prepare({ ...recipient, mobile: "+8613800138000" }, "没抢到")).toEqual({
      ok: true,
      payload: { mobile: "+8613800138000", text: "没抢到" },
    });
  });
});
