import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError } from "graphql-request";
import { AwardRedPacketPrizeDocument, CreateRedPacketDocument, StartRedPacketSendDocument } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { createRedPacket, customerOf, redPacketInput, setUpTenant } from "./support.js";

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp();
});

afterAll(async () => {
  await test?.stop();
});

describe("red packet input guards", () => {
  it("rejects a customer listed twice in one send", async () => {
    const setup = await setUpTenant(test, "rp-duplicates", { locale: "zh-CN" });
    const redPacketId = await createRedPacket(setup);
    const customer = customerOf(test, setup);
    const other = customerOf(test, setup);

    const { startRedPacketSend } = await setup.service.request(StartRedPacketSendDocument, {
      input: { redPacketId, customers: [customer, other, customer], idempotencyKey: "dup-run" },
    });
    expect(startRedPacketSend.job).toBeNull();
    expect(startRedPacketSend.userErrors[0]).toMatchObject({ code: "DUPLICATE_CUSTOMER", field: ["customers", "2"] });
    expect(startRedPacketSend.userErrors[0]?.message).toBe("customers[2] 与 customers[0] 重复，每位客户只能列出一次，否则会被重复发放。");
    expect(test.app.services.simulator!.state.redPackets(setup.merchant.credentials.mchid)).toHaveLength(0);
  });

  it("rejects a prize key reused for another customer", async () => {
    const setup = await setUpTenant(test, "rp-key-reuse");
    const redPacketId = await createRedPacket(setup);
    const first = customerOf(test, setup);
    const second = customerOf(test, setup);

    await setup.service.request(AwardRedPacketPrizeDocument, { input: { redPacketId, customer: first, idempotencyKey: "draw-7" } });
    const error = await setup.service
      .request(AwardRedPacketPrizeDocument, { input: { redPacketId, customer: second, idempotencyKey: "draw-7" } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).response.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "IDEMPOTENCY_KEY_REUSED" });
    expect(test.app.services.simulator!.state.redPackets(setup.merchant.credentials.mchid)).toHaveLength(1);
  });
});

describe("red packet amount range", () => {
  it("rejects amounts WeChat Pay cannot pay even with a scene", async () => {
    const setup = await setUpTenant(test, "rp-range", { simulator: { smallRedPacket: true }, input: { smallRedPacketEnabled: true } });
    const { createRedPacket: tooLarge } = await setup.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(setup, { amount: { mode: "FIXED", fixed: 99_999_999 }, sceneId: "PRODUCT_2" }),
    });
    expect(tooLarge.userErrors.map((error) => error.code)).toEqual(["AMOUNT_OUT_OF_RANGE"]);

    const { createRedPacket: tooSmall } = await setup.marketer.request(CreateRedPacketDocument, {
      input: redPacketInput(setup, { amount: { mode: "FIXED", fixed: 1 }, sceneId: "PRODUCT_2" }),
    });
    expect(tooSmall.userErrors.map((error) => error.code)).toEqual(["AMOUNT_OUT_OF_RANGE"]);
  });
});
