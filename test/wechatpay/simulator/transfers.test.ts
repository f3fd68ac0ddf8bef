import { constants, createPublicKey, publicEncrypt } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatedMerchantConfig, type WechatPaySimulator } from "../../../src/wechatpay/simulator/index.js";
import { decryptResource } from "./support/decrypt.js";
import { startReceiver } from "./support/notify-receiver.js";
import { sendV3 } from "./support/signed-client.js";

let simulator: WechatPaySimulator;
let merchant: SimulatedMerchantConfig;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sequence = 0;

beforeAll(async () => {
  simulator = await startSimulator({ notifyRetryScheduleMs: [20, 20] });
  merchant = await simulator.createMerchant({ signingMode: "publicKey", cashRedPacket: false, balance: 50_000 });
  receiver = await startReceiver();
});

afterEach(() => {
  simulator.faults.clear();
});

afterAll(async () => {
  await simulator.close();
  await receiver.close();
});

function nextBillNo(): string {
  sequence += 1;
  return `RP${Date.now()}${sequence}`;
}

function transferBody(outBillNo: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appid: merchant.appids[0],
    out_bill_no: outBillNo,
    transfer_scene_id: "1000",
    openid: "oUser-transfer",
    transfer_amount: 188,
    transfer_remark: "活动奖励",
    notify_url: receiver.url,
    user_recv_perception: "现金奖励",
    transfer_scene_report_infos: [
      { info_type: "活动名称", info_content: "新会员有礼" },
      { info_type: "奖励说明", info_content: "注册抽奖一等奖" },
    ],
    ...overrides,
  };
}

async function createBill(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const answer = await sendV3(merchant, { method: "POST", path: "/v3/fund-app/mch-transfer/transfer-bills", body }, { extraHeaders: headers });
  return { status: answer.status, body: JSON.parse(answer.body) };
}

async function queryBill(outBillNo: string) {
  const answer = await sendV3(merchant, { method: "GET", path: `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${outBillNo}` });
  return { status: answer.status, body: JSON.parse(answer.body) };
}

async function finishedEvents(from: number) {
  await simulator.notifications.waitForIdle();
  return receiver.received.slice(from).map((notification) => JSON.parse(decryptResource(merchant.apiV3Key, JSON.parse(notification.body).resource)));
}

describe("createTransferBill", () => {
  it("waits for the user with package_info", async () => {
    const answer = await createBill(transferBody(nextBillNo()));

    expect(answer.status).toBe(200);
    expect(answer.body.state).toBe("WAIT_USER_CONFIRM");
    expect(answer.body.package_info).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it("returns the same bill for a replay", async () => {
    const outBillNo = nextBillNo();
    const before = simulator.state.created().transfers;
    const balance = simulator.state.balance(merchant.mchid);

    const first = await createBill(transferBody(outBillNo));
    const replay = await createBill(transferBody(outBillNo));

    expect(replay.body).toEqual(first.body);
    expect(simulator.state.created().transfers).toBe(before + 1);
    expect(simulator.state.balance(merchant.mchid)).toBe(balance - 188);
  });

  it("rejects a changed body under one out_bill_no", async () => {
    const outBillNo = nextBillNo();
    await createBill(transferBody(outBillNo));

    const changed = await createBill(transferBody(outBillNo, { transfer_amount: 200 }));

    expect(changed.status).toBe(400);
    expect(changed.body.code).toBe("INVALID_REQUEST");
  });

  it("checks the scene report items", async () => {
    const missing = await createBill(transferBody(nextBillNo(), { transfer_scene_report_infos: [{ info_type: "活动名称", info_content: "x" }] }));
    const perception = await createBill(transferBody(nextBillNo(), { user_recv_perception: "红包" }));

    expect(missing.body.code).toBe("PARAM_ERROR");
    expect(perception.body.code).toBe("INVALID_REQUEST");
  });

  it("rejects amounts outside 0.1 to 200 CNY", async () => {
    const small = await createBill(transferBody(nextBillNo(), { transfer_amount: 9 }));
    const large = await createBill(transferBody(nextBillNo(), { transfer_amount: 20_001 }));

    expect(small.body.code).toBe("INVALID_REQUEST");
    expect(large.body.code).toBe("INVALID_REQUEST");
  });

  it("answers NOT_ENOUGH and creates nothing", async () => {
    const poor = await simulator.createMerchant({ balance: 100 });
    const before = simulator.state.created().transfers;

    const answer = await sendV3(poor, {
      method: "POST",
      path: "/v3/fund-app/mch-transfer/transfer-bills",
      body: { ...transferBody(nextBillNo()), appid: poor.appids[0] },
    });

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).code).toBe("NOT_ENOUGH");
    expect(simulator.state.created().transfers).toBe(before);
  });

  it("decrypts user_name with the key named by Wechatpay-Serial", async () => {
    const userName = publicEncrypt(
      { key: createPublicKey(simulator.platform.publicKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
      Buffer.from("张三"),
    ).toString("base64");
    const outBillNo = nextBillNo();

    const withoutSerial = await createBill(transferBody(nextBillNo(), { user_name: userName }));
    const withSerial = await createBill(transferBody(outBillNo, { user_name: userName }), { "Wechatpay-Serial": simulator.platform.publicKeyId });

    expect(withoutSerial.body.code).toBe("PARAM_ERROR");
    expect(withSerial.status).toBe(200);
    expect(simulator.state.transfers(merchant.mchid).find((bill) => bill.out_bill_no === outBillNo)?.user_name).toBe("张三");
  });

  it("replays after a lost response without a second bill", async () => {
    const outBillNo = nextBillNo();
    const before = simulator.state.created().transfers;
    simulator.faults.inject({ mchid: merchant.mchid, operation: "createTransferBill", fault: { lostResponse: true } });

    await expect(createBill(transferBody(outBillNo))).rejects.toThrow();
    const retry = await createBill(transferBody(outBillNo));

    expect(retry.body.state).toBe("WAIT_USER_CONFIRM");
    expect(simulator.state.created().transfers).toBe(before + 1);
  });
});

describe("transfer outcomes", () => {
  it("confirmation pays and notifies SUCCESS", async () => {
    const outBillNo = nextBillNo();
    await createBill(transferBody(outBillNo));
    const from = receiver.received.length;

    simulator.customer.confirmTransfer(merchant.mchid, outBillNo);

    expect((await queryBill(outBillNo)).body.state).toBe("SUCCESS");
    const [event] = await finishedEvents(from);
    expect(event).toMatchObject({ out_bill_no: outBillNo, state: "SUCCESS", transfer_amount: 188 });
    const envelope = JSON.parse(receiver.received[from]!.body);
    expect(envelope.event_type).toBe("MCHTRANSFER.BILL.FINISHED");
    expect(receiver.received[from]!.headers["wechatpay-serial"]).toBe(simulator.platform.publicKeyId);
  });

  it("cancel returns the money and ends CANCELLED", async () => {
    const outBillNo = nextBillNo();
    const balance = simulator.state.balance(merchant.mchid);
    await createBill(transferBody(outBillNo));
    const from = receiver.received.length;

    const cancel = await sendV3(merchant, { method: "POST", path: `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${outBillNo}/cancel`, body: {} });
    await new Promise((resolve) => setImmediate(resolve));

    expect(JSON.parse(cancel.body).state).toBe("CANCELING");
    expect((await queryBill(outBillNo)).body.state).toBe("CANCELLED");
    expect(simulator.state.balance(merchant.mchid)).toBe(balance);
    expect((await finishedEvents(from))[0]?.state).toBe("CANCELLED");
    expect(() => simulator.customer.confirmTransfer(merchant.mchid, outBillNo)).toThrow(/CANCELLED/);
  });

  it("rejection fails the bill with a reason", async () => {
    const outBillNo = nextBillNo();
    await createBill(transferBody(outBillNo));

    simulator.customer.rejectTransfer(merchant.mchid, outBillNo);

    const query = await queryBill(outBillNo);
    expect(query.body.state).toBe("FAIL");
    expect(query.body.fail_reason).toBe("PAYEE_ACCOUNT_ABNORMAL");
  });

  it("expires unconfirmed bills after 24 hours", async () => {
    const outBillNo = nextBillNo();
    await createBill(transferBody(outBillNo));
    const balanceBefore = simulator.state.balance(merchant.mchid);
    const waiting = simulator.state.transfers(merchant.mchid).filter((bill) => bill.state === "WAIT_USER_CONFIRM");

    simulator.customer.advanceTime(23 * 3_600_000);
    const stillWaiting = (await queryBill(outBillNo)).body.state;
    simulator.customer.advanceTime(3_600_000);
    const expired = await queryBill(outBillNo);

    expect(stillWaiting).toBe("WAIT_USER_CONFIRM");
    expect(expired.body).toMatchObject({ state: "FAIL", fail_reason: "OVERDUE_CLOSE" });
    expect(simulator.state.balance(merchant.mchid)).toBe(balanceBefore + waiting.reduce((sum, bill) => sum + bill.transfer_amount, 0));
  });

  it("answers NOT_FOUND for an unknown bill", async () => {
    const answer = await queryBill("UNKNOWN0001");

    expect(answer.status).toBe(404);
  });
});
