import { createWechatPayClient, type WechatPayClientOptions } from "../../src/wechatpay/index.js";
import { startSimulator } from "../../src/wechatpay/simulator/index.js";
import { elapsedMs } from "../support/stats.js";
import { benchCustomers } from "../support/workflows.js";

export interface DirectSendResult {
  issued: number;
  failed: number;
  duplicates: number;
  seconds: number;
}

/**
 * Send vouchers for the issuance baseline: the same sendCoupon calls the workflow makes, straight from
 * the WeChat Pay client to a fresh simulator with `concurrency` calls in flight, and no database, job
 * or lease.
 */
export async function sendVouchersDirectly(input: {
  count: number;
  concurrency: number;
  clientOptions: WechatPayClientOptions;
}): Promise<DirectSendResult> {
  const simulator = await startSimulator({ host: "127.0.0.1" });
  try {
    const merchant = await simulator.createMerchant();
    const stock = simulator.createStock(merchant.mchid, {
      stock_name: "满100减10",
      coupon_amount: 1000,
      transaction_minimum: 10000,
      max_coupons: input.count,
      max_coupons_per_user: 1,
    });
    const stockId = String(stock["stock_id"]);
    const client = createWechatPayClient(merchant, input.clientOptions);
    const queue = benchCustomers(merchant.appids[0]!, input.count, "direct");

    let issued = 0;
    let failed = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: input.concurrency }, async () => {
        for (let customer = queue.pop(); customer; customer = queue.pop()) {
          const result = await client.sendCoupon({
            openid: customer.openid,
            appid: customer.appid,
            stock_id: stockId,
            stock_creator_mchid: merchant.mchid,
            out_request_no: `D${customer.openid}`,
          });
          if (result.ok) issued++;
          else failed++;
        }
      }),
    );
    const seconds = elapsedMs(started) / 1000;
    client.close();

    const coupons = simulator.state.coupons({ stock_id: stockId });
    return { issued, failed, duplicates: coupons.length - new Set(coupons.map((coupon) => coupon.openid)).size, seconds };
  } finally {
    await simulator.close();
  }
}

/** Send red packets for the baseline: the same sendRedPack calls, straight from the client, `concurrency` in flight. */
export async function sendRedPacketsDirectly(input: {
  count: number;
  amount: number;
  concurrency: number;
  clientOptions: WechatPayClientOptions;
}): Promise<DirectSendResult> {
  const simulator = await startSimulator({ host: "127.0.0.1" });
  try {
    const merchant = await simulator.createMerchant({ balance: input.count * input.amount * 10 });
    const client = createWechatPayClient(merchant, input.clientOptions);
    const queue = benchCustomers(merchant.appids[0]!, input.count, "direct").map((customer, index) => ({ ...customer, index }));

    let issued = 0;
    let failed = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: input.concurrency }, async () => {
        for (let customer = queue.pop(); customer; customer = queue.pop()) {
          const result = await client.sendRedPack({
            mch_billno: `B${String(customer.index).padStart(12, "0")}`,
            wxappid: customer.appid,
            send_name: "压测品牌",
            re_openid: customer.openid,
            total_amount: input.amount,
            total_num: 1,
            wishing: "恭喜发财",
            client_ip: "127.0.0.1",
            act_name: "压测活动",
            remark: "压测活动",
          });
          if (result.ok) issued++;
          else failed++;
        }
      }),
    );
    const seconds = elapsedMs(started) / 1000;
    client.close();

    const packets = simulator.state.redPackets(merchant.mchid);
    return { issued, failed, duplicates: packets.length - new Set(packets.map((packet) => packet.re_openid)).size, seconds };
  } finally {
    await simulator.close();
  }
}
