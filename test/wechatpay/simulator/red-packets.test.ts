import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatedMerchantConfig, type WechatPaySimulator } from "../../../src/wechatpay/simulator/index.js";
import { sendV2, v2Sign, xmlField } from "./support/signed-client.js";

let simulator: WechatPaySimulator;
let merchant: SimulatedMerchantConfig;
let sequence = 0;

beforeAll(async () => {
  simulator = await startSimulator();
  merchant = await simulator.createMerchant({ balance: 100_000 });
});

afterEach(() => {
  simulator.faults.clear();
});

afterAll(async () => {
  await simulator.close();
});

function nextBillno(): string {
  sequence += 1;
  return `${merchant.mchid}20260701${String(sequence).padStart(10, "0")}`;
}

function packetFields(mchBillno: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    nonce_str: `N${mchBillno}`,
    mch_billno: mchBillno,
    mch_id: merchant.mchid,
    wxappid: merchant.appids[0]!,
    send_name: "品牌商城",
    re_openid: "oUser-redpack",
    total_amount: "188",
    total_num: "1",
    wishing: "恭喜发财",
    client_ip: "127.0.0.1",
    act_name: "新会员有礼",
    remark: "活动奖励",
    ...overrides,
  };
}

async function sendPacket(fields: Record<string, string>, options: Parameters<typeof sendV2>[3] = {}) {
  const answer = await sendV2(merchant, "/mmpaymkttransfers/sendredpack", fields, options);
  return {
    status: answer.status,
    xml: answer.body,
    return_code: xmlField(answer.body, "return_code"),
    result_code: xmlField(answer.body, "result_code"),
    err_code: xmlField(answer.body, "err_code"),
    send_listid: xmlField(answer.body, "send_listid"),
  };
}

async function queryPacket(mchBillno: string) {
  const answer = await sendV2(merchant, "/mmpaymkttransfers/gethbinfo", {
    nonce_str: "Q1",
    mch_billno: mchBillno,
    mch_id: merchant.mchid,
    appid: merchant.appids[0]!,
    bill_type: "MCHT",
  });
  return { xml: answer.body, status: xmlField(answer.body, "status"), err_code: xmlField(answer.body, "err_code") };
}

describe("sendredpack", () => {
  it("sends and deducts the balance", async () => {
    const before = simulator.state.balance(merchant.mchid);

    const answer = await sendPacket(packetFields(nextBillno()));

    expect(answer).toMatchObject({ return_code: "SUCCESS", result_code: "SUCCESS" });
    expect(answer.send_listid).toMatch(/^\d+$/);
    expect(answer.xml).not.toContain("<sign>");
    expect(simulator.state.balance(merchant.mchid)).toBe(before - 188);
  });

  it("pays once for a repeated mch_billno", async () => {
    const billno = nextBillno();
    const before = simulator.state.balance(merchant.mchid);
    const created = simulator.state.created().redPackets;

    const first = await sendPacket(packetFields(billno));
    const retry = await sendPacket(packetFields(billno, { nonce_str: "another-nonce" }));

    expect(retry.result_code).toBe("SUCCESS");
    expect(retry.send_listid).toBe(first.send_listid);
    expect(simulator.state.balance(merchant.mchid)).toBe(before - 188);
    expect(simulator.state.created().redPackets).toBe(created + 1);
  });

  it("answers FATAL_ERROR for a changed amount under one billno", async () => {
    const billno = nextBillno();
    await sendPacket(packetFields(billno));

    const changed = await sendPacket(packetFields(billno, { total_amount: "200" }));

    expect(changed.err_code).toBe("FATAL_ERROR");
  });

  it("requires a scene_id outside 1 to 200 CNY", async () => {
    const small = await sendPacket(packetFields(nextBillno(), { total_amount: "99" }));
    const large = await sendPacket(packetFields(nextBillno(), { total_amount: "20001" }));

    expect(small.err_code).toBe("MONEY_LIMIT");
    expect(large.err_code).toBe("MONEY_LIMIT");
  });

  it("requires the small red packet permission under 1 CNY", async () => {
    const permitted = await simulator.createMerchant({ smallRedPacket: true });
    const fields = (billno: string, target: SimulatedMerchantConfig) => ({
      ...packetFields(billno, { total_amount: "50", scene_id: "PRODUCT_1" }),
      mch_id: target.mchid,
      wxappid: target.appids[0]!,
    });

    const denied = await sendPacket(fields(nextBillno(), merchant));
    const allowed = await sendV2(permitted, "/mmpaymkttransfers/sendredpack", fields(`${permitted.mchid}202607010000000001`, permitted));

    expect(denied.err_code).toBe("MONEY_LIMIT");
    expect(xmlField(allowed.body, "result_code")).toBe("SUCCESS");
  });

  it("answers NOTENOUGH without paying, then sends after a top-up", async () => {
    const poor = await simulator.createMerchant({ balance: 100 });
    const fields = { ...packetFields(`${nextBillno()}`), mch_id: poor.mchid, wxappid: poor.appids[0]! };

    const refused = await sendV2(poor, "/mmpaymkttransfers/sendredpack", fields);
    simulator.topUpBalance(poor.mchid, 1000);
    const retried = await sendV2(poor, "/mmpaymkttransfers/sendredpack", fields);

    expect(xmlField(refused.body, "return_code")).toBe("SUCCESS");
    expect(xmlField(refused.body, "err_code")).toBe("NOTENOUGH");
    expect(xmlField(retried.body, "result_code")).toBe("SUCCESS");
    expect(simulator.state.balance(poor.mchid)).toBe(100 + 1000 - 188);
  });

  it("limits packets per user per day", async () => {
    const limited = await simulator.createMerchant({ redPacketsPerUserPerDay: 1 });
    const fields = (billno: string) => ({ ...packetFields(billno), mch_id: limited.mchid, wxappid: limited.appids[0]! });

    await sendV2(limited, "/mmpaymkttransfers/sendredpack", fields(`${limited.mchid}202607010000000001`));
    const second = await sendV2(limited, "/mmpaymkttransfers/sendredpack", fields(`${limited.mchid}202607010000000002`));

    expect(xmlField(second.body, "err_code")).toBe("SENDNUM_LIMIT");
  });

  it("refuses merchants without the cash red packet product", async () => {
    const transfersOnly = await simulator.createMerchant({ cashRedPacket: false });
    const fields = { ...packetFields(`${transfersOnly.mchid}202607010000000001`), mch_id: transfersOnly.mchid, wxappid: transfersOnly.appids[0]! };

    const answer = await sendV2(transfersOnly, "/mmpaymkttransfers/sendredpack", fields);

    expect(xmlField(answer.body, "result_code")).toBe("FAIL");
    expect(xmlField(answer.body, "err_code")).toBe("NO_AUTH");
  });
});

describe("v2 transport", () => {
  it("answers CA_ERROR without a client certificate", async () => {
    const answer = await sendPacket(packetFields(nextBillno()), { clientCertificate: false });

    expect(answer.return_code).toBe("FAIL");
    expect(answer.err_code).toBe("CA_ERROR");
  });

  it("answers CA_ERROR for another merchant's certificate", async () => {
    const other = await simulator.createMerchant();

    const answer = await sendPacket(packetFields(nextBillno()), {
      clientCertificate: { certificatePem: other.merchantCertificatePem, privateKeyPem: other.merchantPrivateKeyPem },
    });

    expect(answer.err_code).toBe("CA_ERROR");
  });

  it("answers SIGN_ERROR for a sign made with the APIv3 key", async () => {
    const fields = packetFields(nextBillno());

    const answer = await sendPacket(fields, { sign: v2Sign(fields, merchant.apiV3Key) });

    expect(answer.return_code).toBe("FAIL");
    expect(answer.err_code).toBe("SIGN_ERROR");
  });

  it("accepts a declared HMAC-SHA256 sign", async () => {
    const fields = packetFields(nextBillno(), { sign_type: "HMAC-SHA256" });

    const answer = await sendPacket(fields, { sign: v2Sign(fields, merchant.apiV2Key, "HMAC-SHA256") });

    expect(answer.result_code).toBe("SUCCESS");
  });

  it("answers XML_ERROR for a DOCTYPE", async () => {
    const { rawRequest } = await import("./support/signed-client.js");
    const body = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><mch_id>&e;</mch_id></xml>';

    const answer = await rawRequest(new URL("/mmpaymkttransfers/sendredpack", merchant.apiV2BaseUrl!), {
      method: "POST",
      body,
      tls: { ca: merchant.tlsCaPem, cert: merchant.merchantCertificatePem, key: merchant.merchantPrivateKeyPem },
    });

    expect(xmlField(answer.body, "err_code")).toBe("XML_ERROR");
  });
});

describe("gethbinfo", () => {
  it("follows a packet from SENT to RECEIVED", async () => {
    const billno = nextBillno();
    await sendPacket(packetFields(billno));

    const sent = await queryPacket(billno);
    simulator.customer.openRedPacket(merchant.mchid, billno);
    const received = await queryPacket(billno);

    expect(sent.status).toBe("SENT");
    expect(received.status).toBe("RECEIVED");
    expect(received.xml).toContain("<hbinfo>");
  });

  it("refunds a packet left unopened for 24 hours", async () => {
    const billno = nextBillno();
    await sendPacket(packetFields(billno));
    const afterSend = simulator.state.balance(merchant.mchid);
    const unopened = simulator.state
      .redPackets(merchant.mchid)
      .filter((packet) => packet.status === "SENT")
      .reduce((sum, packet) => sum + packet.total_amount, 0);

    simulator.customer.advanceTime(24 * 3_600_000);
    const refunded = await queryPacket(billno);

    expect(refunded.status).toBe("REFUND");
    expect(xmlField(refunded.xml, "refund_amount")).toBe("188");
    expect(unopened).toBeGreaterThanOrEqual(188);
    expect(simulator.state.balance(merchant.mchid)).toBe(afterSend + unopened);
    expect(() => simulator.customer.openRedPacket(merchant.mchid, billno)).toThrow(/REFUND/);
  });

  it("answers NOT_FOUND for an unknown billno", async () => {
    const answer = await queryPacket(nextBillno());

    expect(answer.err_code).toBe("NOT_FOUND");
  });
});

describe("red packet faults", () => {
  it("SYSTEMERROR without effect lets a same-billno retry pay once", async () => {
    const billno = nextBillno();
    const before = simulator.state.balance(merchant.mchid);
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendRedPack", fault: { errorCode: "SYSTEMERROR" } });

    const failed = await sendPacket(packetFields(billno));
    const lookup = await queryPacket(billno);
    const retried = await sendPacket(packetFields(billno));

    expect(failed.err_code).toBe("SYSTEMERROR");
    expect(lookup.err_code).toBe("NOT_FOUND");
    expect(retried.result_code).toBe("SUCCESS");
    expect(simulator.state.balance(merchant.mchid)).toBe(before - 188);
  });

  it("a lost response after sending never pays twice", async () => {
    const billno = nextBillno();
    const before = simulator.state.balance(merchant.mchid);
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendRedPack", fault: { lostResponse: true } });

    await expect(sendPacket(packetFields(billno))).rejects.toThrow();
    const lookup = await queryPacket(billno);
    const retried = await sendPacket(packetFields(billno));

    expect(lookup.status).toBe("SENT");
    expect(retried.result_code).toBe("SUCCESS");
    expect(simulator.state.balance(merchant.mchid)).toBe(before - 188);
  });

  it("answers FREQ_LIMIT as a business failure", async () => {
    simulator.faults.inject({ mchid: merchant.mchid, operation: "sendRedPack", fault: { errorCode: "FREQ_LIMIT" } });

    const answer = await sendPacket(packetFields(nextBillno()));

    expect(answer).toMatchObject({ return_code: "SUCCESS", result_code: "FAIL", err_code: "FREQ_LIMIT" });
  });
});
