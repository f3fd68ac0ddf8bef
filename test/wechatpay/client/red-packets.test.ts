import { afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  createWechatPayClient,
  parseV2Xml,
  verifyV2Signature,
  WechatPayProgrammingError,
  type WechatPayClient,
  type WechatPayClientOptions,
} from "../../../src/wechatpay/index.js";
import { startFakeWechatPay, type FakeHandler, type FakeWechatPay } from "./support/fake-wechatpay.js";
import { createTestCertificate, type TestCertificate } from "./support/keys.js";
import { TEST_API_V2_KEY, createTestMerchant, merchantConfig, type TestMerchant } from "./support/merchant.js";

let keys: TestMerchant;
let serverCertificate: TestCertificate;
const servers: FakeWechatPay[] = [];
const clients: WechatPayClient[] = [];

beforeAll(async () => {
  keys = await createTestMerchant();
  serverCertificate = await createTestCertificate({ serial: "5e7e", commonName: "127.0.0.1", ipAddress: "127.0.0.1" });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function setup(handler: FakeHandler, options: WechatPayClientOptions = {}) {
  const server = await startFakeWechatPay(keys.platform, handler, {
    certificatePem: serverCertificate.certificatePem,
    privateKeyPem: serverCertificate.privateKeyPem,
    clientCa: keys.merchant.certificatePem,
  });
  servers.push(server);
  const client = createWechatPayClient(
    merchantConfig(keys, "http://127.0.0.1:9", { apiV2BaseUrl: server.url, tlsCaPem: serverCertificate.certificatePem }),
    { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, ...options },
  );
  clients.push(client);
  return { server, client };
}

function xmlReply(fields: Record<string, string>): { status: number; body: string; signer: false; headers: Record<string, string> } {
  const children = Object.entries(fields)
    .map(([name, value]) => `<${name}><![CDATA[${value}]]></${name}>`)
    .join("\n");
  return { status: 200, body: `<xml>\n${children}\n</xml>`, signer: false, headers: { "Content-Type": "text/xml" } };
}

const RED_PACK = {
  mch_billno: "1900009191202607010000000001",
  wxappid: "wx8888888888888888",
  send_name: "天虹百货",
  re_openid: "oxTWIuGaIt6gTKsQRLau2M0yL16E",
  total_amount: 1000,
  wishing: "感谢您参加猜灯谜活动，祝您元宵节快乐！",
  client_ip: "192.168.0.1",
  act_name: "猜灯谜抢红包活动",
  remark: "猜越多得越多，快来抢！",
};

const SEND_SUCCESS = {
  return_code: "SUCCESS",
  return_msg: "发放成功",
  result_code: "SUCCESS",
  mch_billno: RED_PACK.mch_billno,
  mch_id: "1900009191",
  wxappid: RED_PACK.wxappid,
  re_openid: RED_PACK.re_openid,
  total_amount: "1000",
  send_listid: "100000000020150520314766074200",
};

describe("sendRedPack", () => {
  it("sends MD5-signed XML over mutual TLS", async () => {
    const { server, client } = await setup(() => xmlReply(SEND_SUCCESS));

    const result = await client.sendRedPack(RED_PACK);

    expect(result).toEqual({
      ok: true,
      value: {
        mch_billno: RED_PACK.mch_billno,
        mch_id: "1900009191",
        wxappid: RED_PACK.wxappid,
        re_openid: RED_PACK.re_openid,
        total_amount: 1000,
        send_listid: "100000000020150520314766074200",
      },
    });
    const [request] = server.requests;
    expect(request?.url).toBe("/mmpaymkttransfers/sendredpack");
    expect(request?.clientCertificateCn).toBe("1900009191");
    const fields = parseV2Xml(request!.body.toString("utf8")) as Record<string, string>;
    expect(fields).toMatchObject({ mch_id: "1900009191", total_amount: "1000", total_num: "1", wishing: RED_PACK.wishing });
    expect(fields.sign).toMatch(/^[0-9A-F]{32}$/);
    expect(verifyV2Signature(fields, TEST_API_V2_KEY)).toBe(true);
  });

  it("escapes XML special characters", async () => {
    const { server, client } = await setup(() => xmlReply(SEND_SUCCESS));

    await client.sendRedPack({ ...RED_PACK, remark: "a < b & c ]]> d" });

    const body = server.requests[0]!.body.toString("utf8");
    expect(body).not.toContain("a < b");
    expect((parseV2Xml(body) as Record<string, string>).remark).toBe("a < b & c ]]> d");
  });

  it("reports SYSTEMERROR as unknown without retrying", async () => {
    const { server, client } = await setup(() =>
      xmlReply({ return_code: "SUCCESS", result_code: "FAIL", err_code: "SYSTEMERROR", err_code_des: "请求已受理，请稍后使用原单号查询发放结果" }),
    );

    const result = await client.sendRedPack(RED_PACK);

    expect(result).toMatchObject({ ok: false, outcome: "unknown", code: "SYSTEMERROR", httpStatus: 200 });
    expect(server.requests).toHaveLength(1);
  });

  it("retries FREQ_LIMIT with identical bytes", async () => {
    let calls = 0;
    const { server, client } = await setup(() => {
      calls += 1;
      return calls === 1
        ? xmlReply({ return_code: "SUCCESS", result_code: "FAIL", err_code: "FREQ_LIMIT", err_code_des: "超过频率限制,请稍后再试" })
        : xmlReply(SEND_SUCCESS);
    });

    const result = await client.sendRedPack(RED_PACK);

    expect(result.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body.equals(server.requests[0]!.body)).toBe(true);
  });

  it("classifies limits as definitive and NOTENOUGH as retryable", async () => {
    const codes = ["SENDNUM_LIMIT", "NOTENOUGH", "SEND_FAILED", "MONEY_LIMIT"];
    const { client } = await setup((request) => {
      const billno = (parseV2Xml(request.body.toString()) as Record<string, string>).mch_billno!;
      return xmlReply({ return_code: "SUCCESS", result_code: "FAIL", err_code: codes[Number(billno.slice(-1))]!, err_code_des: "x" });
    });

    const outcomes = [];
    for (const index of codes.keys()) {
      const result = await client.sendRedPack({ ...RED_PACK, mch_billno: `190000919120260701000000000${index}` });
      outcomes.push(result.ok ? "ok" : `${result.code}:${result.outcome}`);
    }

    expect(outcomes).toEqual(["SENDNUM_LIMIT:definitive", "NOTENOUGH:retryable", "SEND_FAILED:definitive", "MONEY_LIMIT:definitive"]);
  });

  it("reports a lost response as unknown", async () => {
    const { client } = await setup(() => ({ status: 200, destroy: true }));

    const result = await client.sendRedPack(RED_PACK);

    expect(result).toMatchObject({ ok: false, outcome: "unknown", code: "CONNECTION_LOST" });
  });

  it("rejects invalid input before sending", async () => {
    const { server, client } = await setup(() => xmlReply(SEND_SUCCESS));

    expect(() => client.sendRedPack({ ...RED_PACK, total_amount: 10.5 })).toThrow(WechatPayProgrammingError);
    expect(() => client.sendRedPack({ ...RED_PACK, total_amount: 50 })).toThrow(/scene_id/);
    expect(() => client.sendRedPack({ ...RED_PACK, mch_billno: "bill-1" })).toThrow(WechatPayProgrammingError);
    expect(server.requests).toHaveLength(0);
  });

  it("spaces sends to the configured rate", async () => {
    const { server, client } = await setup(() => xmlReply(SEND_SUCCESS), {
      rateLimits: { redPacketSend: { limit: 3, intervalMs: 300, burst: 1 } },
    });
    const startedAt = Date.now();

    await Promise.all([1, 2, 3].map((n) => client.sendRedPack({ ...RED_PACK, mch_billno: `19000091912026070100000000${n}0` })));

    expect(server.requests).toHaveLength(3);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(180);
  });
});

describe("queryRedPack", () => {
  it("reads the packet and its receivers", async () => {
    const reply = xmlReply({
      return_code: "SUCCESS",
      return_msg: "OK",
      result_code: "SUCCESS",
      mch_billno: RED_PACK.mch_billno,
      mch_id: "1900009191",
      detail_id: "10000417012016080830956240040",
      status: "RECEIVED",
      send_type: "API",
      hb_type: "NORMAL",
      total_num: "1",
      total_amount: "1000",
      send_time: "2016-08-08 21:49:22",
    });
    reply.body = reply.body.replace(
      "</xml>",
      "<hblist><hbinfo><openid><![CDATA[oxTWIuGaIt6gTKsQRLau2M0yL16E]]></openid><amount>1000</amount><rcv_time><![CDATA[2016-08-08 21:49:46]]></rcv_time></hbinfo></hblist></xml>",
    );
    const { server, client } = await setup(() => reply);

    const result = await client.queryRedPack({ mch_billno: RED_PACK.mch_billno, appid: RED_PACK.wxappid });

    expect(result).toMatchObject({
      ok: true,
      value: {
        status: "RECEIVED",
        total_amount: 1000,
        total_num: 1,
        send_time: "2016-08-08 21:49:22",
        hblist: [{ openid: "oxTWIuGaIt6gTKsQRLau2M0yL16E", amount: 1000, rcv_time: "2016-08-08 21:49:46" }],
      },
    });
    const fields = parseV2Xml(server.requests[0]!.body.toString()) as Record<string, string>;
    expect(server.requests[0]?.url).toBe("/mmpaymkttransfers/gethbinfo");
    expect(fields).toMatchObject({ bill_type: "MCHT", appid: RED_PACK.wxappid, mch_billno: RED_PACK.mch_billno });
    expect(verifyV2Signature(fields, TEST_API_V2_KEY)).toBe(true);
  });

  it("reports NOT_FOUND as definitive", async () => {
    const { client } = await setup(() =>
      xmlReply({ return_code: "SUCCESS", result_code: "FAIL", err_code: "NOT_FOUND", err_code_des: "指定单号数据不存在" }),
    );

    const result = await client.queryRedPack({ mch_billno: RED_PACK.mch_billno, appid: RED_PACK.wxappid });

    expect(result).toMatchObject({ ok: false, outcome: "definitive", code: "NOT_FOUND" });
  });

  it("retries a query after SYSTEMERROR", async () => {
    let calls = 0;
    const { server, client } = await setup(() => {
      calls += 1;
      return calls === 1
        ? xmlReply({ return_code: "SUCCESS", result_code: "FAIL", err_code: "SYSTEMERROR", err_code_des: "系统繁忙" })
        : xmlReply({ return_code: "SUCCESS", result_code: "SUCCESS", mch_billno: "b", mch_id: "1900009191", detail_id: "d", status: "SENT", total_num: "1", total_amount: "100" });
    });

    const result = await client.queryRedPack({ mch_billno: "b", appid: RED_PACK.wxappid });

    expect(result).toMatchObject({ ok: true, value: { status: "SENT", hblist: [] } });
    expect(server.requests).toHaveLength(2);
  });

  it("fails without the client certificate the server expects", async () => {
    const stranger = await createTestCertificate({ serial: "99", commonName: "stranger" });
    const server = await startFakeWechatPay(keys.platform, () => xmlReply(SEND_SUCCESS), {
      certificatePem: serverCertificate.certificatePem,
      privateKeyPem: serverCertificate.privateKeyPem,
      clientCa: stranger.certificatePem,
    });
    servers.push(server);
    const client = createWechatPayClient(
      merchantConfig(keys, "http://127.0.0.1:9", { apiV2BaseUrl: server.url, tlsCaPem: serverCertificate.certificatePem }),
      { retry: { maxAttempts: 1 } },
    );
    clients.push(client);

    const result = await client.queryRedPack({ mch_billno: "b", appid: RED_PACK.wxappid });

    expect(result.ok).toBe(false);
    expect(server.requests).toHaveLength(0);
  });
});
