import type postgres from "postgres";
import { decodeGlobalId } from "../../src/graphql/relay/global-id.js";
import type { WechatPaySimulator } from "../../src/wechatpay/simulator/index.js";
import { signBenchToken } from "./app.js";
import { measureCpu } from "./cpu.js";
import { ADMIN_DATABASE_URL } from "./database.js";
import { DatabaseActivitySampler } from "./db-activity.js";
import { assertNoUserErrors, graphqlRequest } from "./graphql.js";
import type { StatementCounter } from "./sql-counter.js";
import { elapsedMs } from "./stats.js";
import type { IssuanceRun } from "./voucher-issuance.js";
import { benchCustomers, connectSimulatorMerchant, createCampaign, waitForJob } from "./workflows.js";

/** Fen per red packet: 1 yuan, the smallest cash red packet without a scene id. */
export const RED_PACKET_AMOUNT = 100;

/**
 * Pay a fixed-amount red packet limited to `quota` grants in total to `quota` customers plus a few more,
 * through startRedPacketSend as a workflow does. Afterwards the simulator must show at most one payout
 * per customer and exactly `quota` payouts.
 */
export async function sendRedPacketsThroughWorkflow(input: {
  url: string;
  sql: postgres.Sql;
  simulator: WechatPaySimulator;
  databaseName: string;
  statements: StatementCounter;
  tenant: string;
  quota: number;
  beyondQuota: number;
  timeoutMs: number;
}): Promise<IssuanceRun & { paidAmount: number }> {
  const admin = await signBenchToken({ tenant: input.tenant, roles: ["admin"] });
  const service = await signBenchToken({ tenant: input.tenant, roles: ["service"] });

  // The balance covers every payout many times over, so only the red packet's own limit can stop one.
  const merchant = await connectSimulatorMerchant(input.url, admin, { name: `红包商户 ${input.tenant}`, balance: 1_000_000_000 });
  const campaignId = await createCampaign(input.url, admin, `红包压测 ${input.tenant}`);
  const created = await graphqlRequest(
    input.url,
    admin,
    `mutation Create($input: CreateRedPacketInput!) { createRedPacket(input: $input) { redPacket { id } userErrors { code field message } } }`,
    {
      input: {
        name: `压测红包 ${input.tenant}`,
        campaignId,
        merchantAccountId: merchant.id,
        actName: "压测活动",
        sendName: "压测品牌",
        wishing: "恭喜发财",
        amount: { mode: "FIXED", fixed: RED_PACKET_AMOUNT },
        limits: { totalCount: input.quota },
      },
    },
  );
  assertNoUserErrors(created["createRedPacket"], "createRedPacket");
  const redPacketId: string = created["createRedPacket"].redPacket.id;
  const customers = benchCustomers(merchant.appid, input.quota + input.beyondQuota, `rp${input.tenant}`);

  const activity = new DatabaseActivitySampler(ADMIN_DATABASE_URL, input.databaseName);
  input.statements.reset();
  activity.start();
  const readCpu = measureCpu();
  const started = process.hrtime.bigint();
  const startedAt = Date.now();
  const sent = await graphqlRequest(
    input.url,
    service,
    `mutation Send($input: StartRedPacketSendInput!) { startRedPacketSend(input: $input) { job { id } userErrors { code field message } } }`,
    { input: { redPacketId, idempotencyKey: `bench-${input.tenant}`, customers } },
  );
  assertNoUserErrors(sent["startRedPacketSend"], "startRedPacketSend");
  const jobId: string = sent["startRedPacketSend"].job.id;
  const job = await waitForJob(input.url, service, jobId, input.timeoutMs);
  const seconds = elapsedMs(started) / 1000;
  const cpu = readCpu();
  const waits = await activity.stop();
  const statementsPerCustomer = input.statements.count() / customers.length;
  if (job.status !== "SUCCEEDED") throw new Error(`red packet job ended ${job.status}: ${job.lastError}`);

  // A merchant that pays by transfer would show transfers instead; both are counted.
  const packets = input.simulator.state.redPackets(merchant.mchid).map((packet) => ({ openid: packet.re_openid, amount: packet.total_amount }));
  const transfers = input.simulator.state.transfers(merchant.mchid).map((transfer) => ({ openid: transfer.openid, amount: transfer.transfer_amount }));
  const payouts = [...packets, ...transfers];
  const jobRowId = decodeGlobalId(jobId)!.id;
  const rows = await input.sql<{ at: number }[]>`
    select (extract(epoch from issued_at) * 1000)::float8 as at
    from red_packet_grants where job_id = ${jobRowId} and issued_at is not null order by issued_at`;

  return {
    issued: payouts.length,
    requested: customers.length,
    quota: input.quota,
    duplicates: payouts.length - new Set(payouts.map((payout) => payout.openid)).size,
    paidAmount: payouts.reduce((sum, payout) => sum + payout.amount, 0),
    seconds,
    job,
    issuedAtMs: rows.map((row) => row.at - startedAt),
    statementsPerCustomer,
    waits,
    cpu,
  };
}
