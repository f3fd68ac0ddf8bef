import { createHash, createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLClient } from "graphql-request";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AwardRedPacketPrizeDocument,
  FailureNoticesDocument,
  NoticeChannelsDocument,
  SetNoticeChannelDocument,
  type RedPacketGrantFieldsFragment,
  type SetNoticeChannelInput,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { deliverOutboxNotices } from "../../src/modules/notices/notice-delivery.js";
import { createRedPacket, customerOf, eventually, setUpTenant, type RedPacketTenant } from "./support.js";

interface ReceivedNotice {
  timestamp: string;
  signature: string;
  rawBody: string;
  body: Record<string, unknown>;
}

/** A messaging gateway on loopback that records each request and responds with `status()`. */
interface Receiver {
  url: string;
  received: ReceivedNotice[];
  status: () => number;
  close: () => Promise<void>;
}

async function startReceiver(status: () => number = () => 200): Promise<Receiver> {
  const receiver: Receiver = { url: "", received: [], status, close: async () => {} };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      receiver.received.push({
        timestamp: String(request.headers["x-notice-timestamp"]),
        signature: String(request.headers["x-notice-signature"]),
        rawBody,
        body: JSON.parse(rawBody) as Record<string, unknown>,
      });
      response.writeHead(receiver.status()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notices`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

const SECRET = "s3cret-notice-signing-key-0123";

let test: TestApp;
const receivers: Receiver[] = [];

beforeAll(async () => {
  test = await startTestApp({ captureLogs: true });
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await test?.stop();
});

async function receiver(status?: () => number): Promise<Receiver> {
  const started = await startReceiver(status);
  receivers.push(started);
  return started;
}

async function setChannel(client: GraphQLClient, input: SetNoticeChannelInput) {
  const { setNoticeChannel } = await client.request(SetNoticeChannelDocument, { input });
  return setNoticeChannel;
}

async function award(setup: RedPacketTenant, redPacketId: string, key: string, mobile: string): Promise<RedPacketGrantFieldsFragment> {
  const customer = customerOf(test, setup, mobile);
  const { awardRedPacketPrize } = await setup.service.request(AwardRedPacketPrizeDocument, { input: { redPacketId, customer, idempotencyKey: key } });
  expect(awardRedPacketPrize.userErrors).toEqual([]);
  return awardRedPacketPrize.grant!;
}

/** Create a red packet that pays one customer and sends SMS failure notices, then award it to each mobile. */
async function failedGrants(setup: RedPacketTenant, mobiles: string[]): Promise<{ redPacketId: string; refused: RedPacketGrantFieldsFragment[] }> {
  const redPacketId = await createRedPacket(setup, {
    limits: { totalCount: 1 },
    failureNotice: { enabled: true, channel: "SMS", text: "红包已领完，感谢参与。" },
  });
  const grants = [];
  for (const [index, mobile] of mobiles.entries()) grants.push(await award(setup, redPacketId, `${setup.tenant}-${index}`, mobile));
  const refused = grants.filter((grant) => grant.failureCode === "TOTAL_COUNT_LIMIT");
  expect(refused).toHaveLength(mobiles.length - 1);
  return { redPacketId, refused };
}

async function noticesOf(setup: RedPacketTenant, redPacketId: string) {
  const { failureNotices } = await setup.marketer.request(FailureNoticesDocument, { filter: { redPacketId } });
  return failureNotices.edges.map((edge) => edge.node);
}

function signatureOf(notice: ReceivedNotice): string {
  return createHmac("sha256", SECRET).update(`${notice.timestamp}.${notice.rawBody}`).digest("hex");
}

describe("notice channels", () => {
  it("delivery signs one notice per grant", async () => {
    const gateway = await receiver();
    const setup = await setUpTenant(test, "nc-sms");
    const set = await setChannel(setup.admin, { channel: "SMS", endpointUrl: gateway.url, signingSecret: SECRET, enabled: true });
    expect(set.userErrors).toEqual([]);

    const { redPacketId, refused } = await failedGrants(setup, ["13900139100", "13900139101", "13900139102"]);
    await eventually(async () => {
      await deliverOutboxNotices(test.app.services);
      const notices = await noticesOf(setup, redPacketId);
      return notices.length === 2 && notices.every((notice) => notice.status === "SENT") ? notices : undefined;
    });
    await deliverOutboxNotices(test.app.services);

    expect(gateway.received.map((notice) => notice.body.grantId).sort()).toEqual(refused.map((grant) => grant.id).sort());
    for (const notice of gateway.received) {
      expect(notice.signature).toBe(signatureOf(notice));
      expect(notice.body).toMatchObject({ channel: "SMS", text: "红包已领完，感谢参与。", redPacketId });
      expect(notice.body).not.toHaveProperty("templateId");
      expect(notice.body.recipient).toMatchObject({ appid: setup.merchant.appid, mobile: expect.stringMatching(/^\+861390013910[12]$/) });
    }
  });

  it("delivery keeps unconfigured tenants in outbox", async () => {
    const gateway = await receiver();
    const configured = await setUpTenant(test, "nc-configured");
    await setChannel(configured.admin, { channel: "SMS", endpointUrl: gateway.url, signingSecret: SECRET, enabled: true });
    const embedded = await setUpTenant(test, "nc-embedded");

    const { redPacketId, refused } = await failedGrants(embedded, ["13900139200", "13900139201"]);
    await deliverOutboxNotices(test.app.services);
    await deliverOutboxNotices(test.app.services);

    const notices = await noticesOf(embedded, redPacketId);
    expect(notices.map((notice) => [notice.grantId, notice.status])).toEqual([[refused[0]!.id, "OUTBOX"]]);
    expect(gateway.received.map((notice) => notice.body.grantId)).not.toContain(refused[0]!.id);
  });

  it("delivery retries after gateway 500", async () => {
    let failing = true;
    const gateway = await receiver(() => (failing ? 500 : 200));
    const setup = await setUpTenant(test, "nc-retry");
    await setChannel(setup.admin, { channel: "SMS", endpointUrl: gateway.url, signingSecret: SECRET, enabled: true });
    const { redPacketId } = await failedGrants(setup, ["13900139300", "13900139301"]);

    const waiting = await eventually(async () => {
      await deliverOutboxNotices(test.app.services);
      const [notice] = await noticesOf(setup, redPacketId);
      return notice?.statusReason === "GATEWAY_HTTP_500" ? notice : undefined;
    });
    expect(waiting.status).toBe("OUTBOX");

    failing = false;
    const sent = await eventually(async () => {
      await deliverOutboxNotices(test.app.services);
      const [notice] = await noticesOf(setup, redPacketId);
      return notice?.status === "SENT" ? notice : undefined;
    });
    expect(sent.statusReason).toBeNull();
    expect(new Set(gateway.received.map((notice) => notice.body.noticeId))).toEqual(new Set([sent.id]));
  });

  it("delivery fails on gateway 4xx", async () => {
    const gateway = await receiver(() => 422);
    const setup = await setUpTenant(test, "nc-refused");
    await setChannel(setup.admin, { channel: "SMS", endpointUrl: gateway.url, signingSecret: SECRET, enabled: true });
    const { redPacketId } = await failedGrants(setup, ["13900139400", "13900139401"]);

    const failed = await eventually(async () => {
      await deliverOutboxNotices(test.app.services);
      const [notice] = await noticesOf(setup, redPacketId);
      return notice?.status === "FAILED" ? notice : undefined;
    });
    expect(failed.statusReason).toBe("GATEWAY_HTTP_422");
    expect(gateway.received).toHaveLength(1);
  });

  it("noticeChannels hides the secret", async () => {
    const admin = await test.client({ tenant: "nc-list", roles: ["admin"] });
    const set = await setChannel(admin, {
      channel: "TEMPLATE_MESSAGE",
      endpointUrl: "https://gateway.example.test/notices",
      templateId: " tmpl-001 ",
      signingSecret: SECRET,
      enabled: false,
    });
    expect(set.userErrors).toEqual([]);

    const listed = await admin.request(NoticeChannelsDocument);
    expect(listed.noticeChannels).toEqual([set.noticeChannel]);
    expect(listed.noticeChannels[0]).toMatchObject({
      channel: "TEMPLATE_MESSAGE",
      templateId: "tmpl-001",
      enabled: false,
      secretFingerprint: createHash("sha256").update(SECRET).digest("hex").slice(0, 16),
    });
    expect(JSON.stringify([set, listed])).not.toContain(SECRET);
    expect(test.logs.length).toBeGreaterThan(0);
    expect(test.logs.join("\n")).not.toContain(SECRET);
  });

  it("noticeChannels rejects marketers", async () => {
    const marketer = await test.client({ tenant: "nc-list", roles: ["marketer"] });
    await expect(marketer.request(NoticeChannelsDocument)).rejects.toThrow(/FORBIDDEN|may not use/);
  });

  it("setNoticeChannel rejects bad input (English)", async () => {
    const admin = await test.client({ tenant: "nc-invalid", roles: ["admin"] }, { "accept-language": "en" });
    const result = await setChannel(admin, { channel: "TEMPLATE_MESSAGE", endpointUrl: "http://gateway.example.test/n", signingSecret: "short", enabled: true });
    expect(result.noticeChannel).toBeNull();
    expect(result.userErrors.map((error) => [error.code, error.field])).toEqual([
      ["INVALID_ENDPOINT_URL", ["input", "endpointUrl"]],
      ["TEMPLATE_ID_REQUIRED", ["input", "templateId"]],
      ["SECRET_TOO_SHORT", ["input", "signingSecret"]],
    ]);
    expect(result.userErrors[0]!.message).toContain("must be an https:// URL");
    expect(result.userErrors[2]!.message).toBe("signingSecret must have at least 16 characters so signatures cannot be guessed; it has 5.");
    expect((await admin.request(NoticeChannelsDocument)).noticeChannels).toEqual([]);
  });

  it("setNoticeChannel rejects bad input (Chinese)", async () => {
    const admin = await test.client({ tenant: "nc-invalid", roles: ["admin"] }, { "accept-language": "zh-CN" });
    const result = await setChannel(admin, { channel: "TEMPLATE_MESSAGE", endpointUrl: "not a url", signingSecret: "short", enabled: true });
    expect(result.userErrors.map((error) => error.message)).toEqual([
      "endpointUrl 必须是您的消息网关的 https:// 地址（仅回环地址可用 http://），当前为 not a url。",
      "TEMPLATE_MESSAGE 渠道必须填写 templateId：请填写公众号模板库中的模板 ID。",
      "signingSecret 至少需要 16 个字符，以免签名被猜出；当前为 5 个。",
    ]);
  });
});
