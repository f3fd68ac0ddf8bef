import type postgres from "postgres";
import { decodeGlobalId } from "../../src/graphql/relay/global-id.js";
import type { WechatPaySimulator } from "../../src/wechatpay/simulator/index.js";
import { signBenchToken } from "./app.js";
import { measureCpu, type CpuReading } from "./cpu.js";
import { ADMIN_DATABASE_URL } from "./database.js";
import { DatabaseActivitySampler, type WaitProfile } from "./db-activity.js";
import type { StatementCounter } from "./sql-counter.js";
import { elapsedMs } from "./stats.js";
import {
  benchCustomers,
  connectSimulatorMerchant,
  createCampaign,
  createVoucherBatch,
  startVoucherJob,
  waitForJob,
  type FinishedJob,
} from "./workflows.js";

export interface IssuanceRun {
  /** Grants WeChat Pay (the simulator) holds for the batch. */
  issued: number;
  /** Customers sent to, the quota plus the customers beyond it. */
  requested: number;
  quota: number;
  /** Customers holding more than one voucher of the batch. */
  duplicates: number;
  /** From the workflow's request to the job's end, in seconds. */
  seconds: number;
  job: FinishedJob;
  /** Milliseconds after the request at which each grant was issued, ascending. */
  issuedAtMs: number[];
  /** Statements the app's pool sent during the job, per customer sent to. */
  statementsPerCustomer: number;
  /** Wait events of the app's busy database backends during the job. */
  waits: { profile: WaitProfile; busyBackends: number };
  /** CPU use during the job; the app and its built-in simulator share this process. */
  cpu: CpuReading;
}

/**
 * Send a voucher batch to `quota` customers plus a few more through issueVouchers, as a workflow does,
 * and check the simulator afterwards: each customer has at most one voucher and the batch issued
 * exactly its quota.
 */
export async function issueVouchersThroughWorkflow(input: {
  url: string;
  sql: postgres.Sql;
  simulator: WechatPaySimulator;
  tenant: string;
  databaseName: string;
  statements: StatementCounter;
  quota: number;
  /** Customers beyond the quota, who must all be turned away. */
  beyondQuota: number;
  timeoutMs: number;
}): Promise<IssuanceRun> {
  const admin = await signBenchToken({ tenant: input.tenant, roles: ["admin"] });
  const service = await signBenchToken({ tenant: input.tenant, roles: ["service"] });

  const merchant = await connectSimulatorMerchant(input.url, admin, { name: `压测商户 ${input.tenant}` });
  const campaignId = await createCampaign(input.url, admin, `压测 ${input.tenant}`);
  const { batchId, stockId } = await createVoucherBatch(input.url, admin, { merchantAccountId: merchant.id, campaignId, maxCoupons: input.quota });
  const customers = benchCustomers(merchant.appid, input.quota + input.beyondQuota, input.tenant);

  const activity = new DatabaseActivitySampler(ADMIN_DATABASE_URL, input.databaseName);
  input.statements.reset();
  activity.start();
  const readCpu = measureCpu();
  const started = process.hrtime.bigint();
  const startedAt = Date.now();
  const jobId = await startVoucherJob(input.url, service, { batchId, customers, idempotencyKey: `bench-${input.tenant}` });
  const job = await waitForJob(input.url, service, jobId, input.timeoutMs);
  const seconds = elapsedMs(started) / 1000;
  const cpu = readCpu();
  const waits = await activity.stop();
  // The job polls (one GraphQL query every 100 ms) are a few statements each, negligible beside the sends.
  const statementsPerCustomer = input.statements.count() / customers.length;
  if (job.status !== "SUCCEEDED") throw new Error(`voucher job ended ${job.status}: ${job.lastError}`);

  const coupons = input.simulator.state.coupons({ stock_id: stockId });
  const holders = new Set(coupons.map((coupon) => coupon.openid));
  const jobRowId = decodeGlobalId(jobId)!.id;
  const rows = await input.sql<{ at: number }[]>`
    select (extract(epoch from issued_at) * 1000)::float8 as at
    from voucher_grants where job_id = ${jobRowId} and status = 'ISSUED' order by issued_at`;

  return {
    issued: coupons.length,
    requested: customers.length,
    quota: input.quota,
    duplicates: coupons.length - holders.size,
    seconds,
    job,
    issuedAtMs: rows.map((row) => row.at - startedAt),
    statementsPerCustomer,
    waits,
    cpu,
  };
}
