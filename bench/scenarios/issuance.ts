import { DEFAULT_RATE_LIMITS, type RateLimit } from "../../src/wechatpay/index.js";
import { sendVouchersDirectly, type DirectSendResult } from "../baselines/direct-sends.js";
import { signBenchToken, startBenchApp } from "../support/app.js";
import { createBenchDatabase, type BenchDatabase } from "../support/database.js";
import { formatProfile } from "../support/db-activity.js";
import { rootFields } from "../support/graphql.js";
import { countStatements, postgresClientOf, type StatementCounter } from "../support/sql-counter.js";
import { count, fixed, perSecond, ratio, type ReportRow, type ScenarioReport, type TargetCheck } from "../support/report.js";
import { issueVouchersThroughWorkflow, type IssuanceRun } from "../support/voucher-issuance.js";
import type { Scenario, ScenarioContext } from "./scenario.js";

/** Limits high enough that the client never waits, so the product's own cost shows. */
const RAISED: RateLimit = { limit: 1_000_000, intervalMs: 1_000 };

/** Customers the voucher job serves at once (PARALLEL_SENDS in voucher-workflow.service.ts). */
const VOUCHER_JOB_CONCURRENCY = 16;

const TARGET_PER_SECOND = 300;

export const issuanceScenario: Scenario = {
  id: "issuance",
  title: "2. Issuance throughput",
  run: runIssuance,
};

async function runIssuance(context: ScenarioContext): Promise<ScenarioReport> {
  const sizes = context.sizes.issuance;
  const report: ScenarioReport = { id: "issuance", title: issuanceScenario.title, rows: [], targets: [], notes: [] };
  const database = await createBenchDatabase("issuance");
  try {
    context.log(`vouchers: ${count(sizes.customers)} customers, raised rate limits`);
    const raised = await withApp(database, { voucherSend: RAISED, redPacketSend: RAISED }, async (url, simulator, statements) => ({
      vouchers: await issueVouchersThroughWorkflow({
        url,
        sql: database.sql,
        simulator,
        statements,
        databaseName: database.name,
        tenant: "raised",
        quota: sizes.customers,
        beyondQuota: Math.max(5, Math.round(sizes.customers / 100)),
        timeoutMs: 600_000,
      }),
      fields: await rootFields(url, await signBenchToken({ tenant: "raised", roles: ["admin"] })),
    }));

    context.log(`vouchers: ${count(sizes.realLimitVouchers)} customers at WeChat Pay's limit`);
    const real = await withApp(database, undefined, (url, simulator, statements) =>
      issueVouchersThroughWorkflow({
        url,
        sql: database.sql,
        simulator,
        statements,
        databaseName: database.name,
        tenant: "reallimit",
        quota: sizes.realLimitVouchers,
        beyondQuota: 0,
        timeoutMs: 600_000,
      }),
    );

    context.log(`vouchers: ${count(sizes.customers)} direct client calls (baseline)`);
    const direct = await sendVouchersDirectly({
      count: sizes.customers,
      concurrency: VOUCHER_JOB_CONCURRENCY,
      clientOptions: { rateLimits: { voucherSend: RAISED } },
    });

    addVoucherRows(report, raised.vouchers, real, direct, sizes.customers);
    addRedPacketRows(report, raised.fields);
    return report;
  } finally {
    await database.drop();
  }
}

async function withApp<T>(
  database: BenchDatabase,
  rateLimits: { voucherSend: RateLimit; redPacketSend: RateLimit } | undefined,
  work: (
    url: string,
    simulator: NonNullable<Awaited<ReturnType<typeof startBenchApp>>["app"]["services"]["simulator"]>,
    statements: StatementCounter,
  ) => Promise<T>,
): Promise<T> {
  const bench = await startBenchApp({
    databaseUrl: database.url,
    start: rateLimits ? { wechatPayClientOptions: { rateLimits } } : {},
  });
  try {
    return await work(bench.url, bench.app.services.simulator!, countStatements(postgresClientOf(bench.app.services.db)));
  } finally {
    await bench.stop();
  }
}

function addVoucherRows(report: ScenarioReport, raised: IssuanceRun, real: IssuanceRun, direct: DirectSendResult, target: number): void {
  const raisedRate = raised.issued / raised.seconds;
  const directRate = direct.issued / direct.seconds;
  const extrapolated = extrapolateRealLimit(real, DEFAULT_RATE_LIMITS.voucherSend, target);
  const issuedOutcome = raised.job.outcomes.find((outcome) => outcome.outcome === "ISSUED")?.count ?? 0;

  const rows: ReportRow[] = [
    {
      metric: `vouchers to ${count(target)} customers, raised limits`,
      bff: `${perSecond(raisedRate)} (${fixed(raised.seconds)} s)`,
      baseline: `${perSecond(directRate)} (${fixed(direct.seconds)} s)`,
      ratio: ratio(raisedRate, directRate),
    },
    {
      metric: "vouchers issued / duplicates (simulator)",
      bff: `${count(raised.issued)} / ${raised.duplicates}`,
      baseline: `${count(direct.issued)} / ${direct.duplicates}`,
    },
    {
      metric: "batch quota kept exactly",
      bff: `${count(raised.issued)} of quota ${count(raised.quota)}, ${count(raised.requested - raised.quota)} turned away`,
      baseline: "n/a",
    },
    {
      metric: `vouchers at WeChat Pay's limit (${DEFAULT_RATE_LIMITS.voucherSend.limit}/s)`,
      bff: `${perSecond(real.issued / real.seconds)} measured over ${count(real.issued)}; ${perSecond(extrapolated.rate)} extrapolated to ${count(target)}`,
      baseline: `${DEFAULT_RATE_LIMITS.voucherSend.limit}/s (the limit)`,
    },
  ];
  rows.push(
    { metric: "SQL statements per customer (voucher job)", bff: fixed(raised.statementsPerCustomer), baseline: "0" },
    {
      metric: "CPU during the send (process cores / machine busy)",
      bff: `${fixed(raised.cpu.processCores, 2)} / ${fixed(raised.cpu.machineBusy * 100, 0)}%`,
      baseline: "",
    },
    {
      metric: "busy DB backends, what they wait on",
      bff: `${fixed(raised.waits.busyBackends)}: ${formatProfile(raised.waits.profile)}`,
      baseline: "",
    },
  );
  report.rows.push(...rows);

  const exact = raised.issued === raised.quota && issuedOutcome === raised.quota && raised.duplicates === 0 && real.duplicates === 0;
  const checks: TargetCheck[] = [
    {
      target: `≥ ${TARGET_PER_SECOND} voucher issuances/s (raised limits)`,
      measured: perSecond(raisedRate),
      met: raisedRate >= TARGET_PER_SECOND,
    },
    {
      target: "zero duplicate vouchers, quota exact",
      measured: `${raised.duplicates + real.duplicates} duplicates, ${count(raised.issued)} issued of quota ${count(raised.quota)}`,
      met: exact,
    },
  ];
  report.targets.push(...checks);
  report.notes.push(
    `Voucher runs go through issueVouchers (durable job, ${VOUCHER_JOB_CONCURRENCY} customers at once) from the request to the job's SUCCEEDED state; the baseline makes the same sendCoupon calls with the WeChat Pay client, ${VOUCHER_JOB_CONCURRENCY} in flight.`,
    `Real-limit figure: measured over ${count(real.issued)} grants (${fixed(real.seconds)} s), then extrapolated to ${count(target)}: ${extrapolated.explanation}.`,
  );
}

/**
 * Estimate the rate for `target` grants from a shorter run under a token bucket: the first `burst`
 * grants are not held back, the rest arrive at the measured steady rate.
 */
function extrapolateRealLimit(run: IssuanceRun, limit: RateLimit, target: number): { rate: number; explanation: string } {
  const burst = Math.max(1, limit.burst ?? Math.min(limit.limit, Math.ceil((limit.limit / limit.intervalMs) * 1000)));
  const times = run.issuedAtMs;
  if (times.length <= burst + 1) {
    const rate = run.issued / run.seconds;
    return { rate, explanation: `the run did not outlast the bucket's burst of ${burst}, so the measured rate is used as is` };
  }

  const burstEndMs = times[burst - 1]!;
  const steadyRate = ((times.length - burst) * 1000) / (times.at(-1)! - burstEndMs);
  const targetSeconds = (burstEndMs + ((target - burst) * 1000) / steadyRate) / 1000;
  return {
    rate: target / targetSeconds,
    explanation: `first ${burst} grants (the bucket's burst) in ${fixed(burstEndMs / 1000, 2)} s, then ${perSecond(steadyRate)} steady, so ${count(target)} take about ${fixed(targetSeconds)} s`,
  };
}

function addRedPacketRows(report: ScenarioReport, fields: Set<string>): void {
  // TODO: measure red packet grants once the red packet workflow mutation exists in the schema.
  if (!fields.has("grantRedPackets")) {
    report.rows.push({ metric: "red packets", bff: "skipped: red packet workflow not available", baseline: "" });
  }
}
