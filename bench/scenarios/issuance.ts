import { DEFAULT_RATE_LIMITS, type RateLimit } from "../../src/wechatpay/index.js";
import { sendRedPacketsDirectly, sendVouchersDirectly, type DirectSendResult } from "../baselines/direct-sends.js";
import { signBenchToken, startBenchApp } from "../support/app.js";
import { createBenchDatabase, type BenchDatabase } from "../support/database.js";
import { formatProfile } from "../support/db-activity.js";
import { rootFields } from "../support/graphql.js";
import { RED_PACKET_AMOUNT, sendRedPacketsThroughWorkflow } from "../support/red-packet-issuance.js";
import { count, fixed, perSecond, ratio, type ScenarioReport } from "../support/report.js";
import { countStatements, postgresClientOf, type StatementCounter } from "../support/sql-counter.js";
import { issueVouchersThroughWorkflow, type IssuanceRun } from "../support/voucher-issuance.js";
import type { WechatPaySimulator } from "../../src/wechatpay/simulator/index.js";
import type { Scenario, ScenarioContext } from "./scenario.js";

/** A limit far above any rate reached here, so the client's rate limiter adds no wait and the product's own cost shows. */
const RAISED: RateLimit = { limit: 1_000_000, intervalMs: 1_000 };

/** Customers each job serves at once: PARALLEL_SENDS of the voucher job, JOB_CONCURRENCY of the red packet job. */
const JOB_CONCURRENCY = { vouchers: 16, redPackets: 8 } as const;

const TARGET_PER_SECOND = 300;
const JOB_TIMEOUT_MS = 900_000;

type Kind = "vouchers" | "redPackets";

interface KindResult {
  raised: IssuanceRun;
  real: IssuanceRun;
  direct: DirectSendResult;
}

export const issuanceScenario: Scenario = {
  id: "issuance",
  title: "2. Issuance throughput",
  run: runIssuance,
};

async function runIssuance(context: ScenarioContext): Promise<ScenarioReport> {
  const sizes = context.sizes.issuance;
  const report: ScenarioReport = { id: "issuance", title: issuanceScenario.title, rows: [], targets: [], notes: [] };
  const database = await createBenchDatabase("issuance");
  const beyondQuota = Math.max(5, Math.round(sizes.customers / 100));
  try {
    const fields = await withApp(database, undefined, async (url) => rootFields(url, await signBenchToken({ tenant: "probe", roles: ["admin"] })));
    const kinds: Kind[] = [];
    if (fields.has("issueVouchers")) kinds.push("vouchers");
    if (fields.has("startRedPacketSend") && fields.has("createRedPacket")) kinds.push("redPackets");

    const results: Partial<Record<Kind, KindResult>> = {};
    for (const kind of kinds) {
      const send = kind === "vouchers" ? issueVouchersThroughWorkflow : sendRedPacketsThroughWorkflow;
      const realCount = kind === "vouchers" ? sizes.realLimitVouchers : sizes.realLimitRedPackets;

      context.log(`${kind}: ${count(sizes.customers)} customers, raised rate limits`);
      const raised = await withApp(database, { voucherSend: RAISED, redPacketSend: RAISED, transferCreate: RAISED }, async (url, simulator, statements) => {
        const common = { url, sql: database.sql, simulator, statements, databaseName: database.name, timeoutMs: JOB_TIMEOUT_MS };
        // An unmeasured small send first, so the measured one does not pay for JIT compilation and cold caches.
        await send({ ...common, tenant: `${kind.toLowerCase()}warm`, quota: sizes.warmUpCustomers, beyondQuota: 0 });
        return send({ ...common, tenant: `${kind.toLowerCase()}raised`, quota: sizes.customers, beyondQuota });
      });

      context.log(`${kind}: ${count(realCount)} customers at WeChat Pay's limit`);
      const real = await withApp(database, undefined, (url, simulator, statements) =>
        send({ url, sql: database.sql, simulator, statements, databaseName: database.name, tenant: `${kind.toLowerCase()}real`, quota: realCount, beyondQuota: 0, timeoutMs: JOB_TIMEOUT_MS }),
      );

      context.log(`${kind}: ${count(sizes.customers)} direct client calls (baseline)`);
      const direct =
        kind === "vouchers"
          ? await sendVouchersDirectly({ count: sizes.customers, concurrency: JOB_CONCURRENCY.vouchers, clientOptions: { rateLimits: { voucherSend: RAISED } } })
          : await sendRedPacketsDirectly({
              count: sizes.customers,
              amount: RED_PACKET_AMOUNT,
              concurrency: JOB_CONCURRENCY.redPackets,
              clientOptions: { rateLimits: { redPacketSend: RAISED } },
            });
      results[kind] = { raised, real, direct };
    }

    for (const kind of ["vouchers", "redPackets"] as const) {
      const result = results[kind];
      if (result) addKindRows(report, kind, result, sizes.customers);
      else report.rows.push({ metric: label(kind), bff: `skipped: ${singular(kind)} workflow not available`, baseline: "" });
    }
    report.notes.push(
      `Each run goes through the workflow mutation (issueVouchers or startRedPacketSend, a durable job) from the request to the job's SUCCEEDED state, with the simulator built into the app. The baseline makes the same client calls (sendCoupon or sendRedPack) straight to a fresh simulator with the job's concurrency (${JOB_CONCURRENCY.vouchers} for vouchers, ${JOB_CONCURRENCY.redPackets} for red packets), without database, job or leases.`,
      `Every list holds ${count(beyondQuota)} customers beyond the quota (the batch's max_coupons, the red packet's total count), who must all be turned away.`,
    );
    return report;
  } finally {
    await database.drop();
  }
}

function label(kind: Kind): string {
  return kind === "vouchers" ? "vouchers" : "red packets";
}

function singular(kind: Kind): string {
  return kind === "vouchers" ? "voucher" : "red packet";
}

async function withApp<T>(
  database: BenchDatabase,
  rateLimits: Partial<Record<"voucherSend" | "redPacketSend" | "transferCreate", RateLimit>> | undefined,
  work: (url: string, simulator: WechatPaySimulator, statements: StatementCounter) => Promise<T>,
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

function addKindRows(report: ScenarioReport, kind: Kind, result: KindResult, target: number): void {
  const { raised, real, direct } = result;
  const name = label(kind);
  const limit = kind === "vouchers" ? DEFAULT_RATE_LIMITS.voucherSend : DEFAULT_RATE_LIMITS.redPacketSend;
  const limitText = kind === "vouchers" ? `${limit.limit}/s` : `${count(limit.limit)}/min`;
  const raisedRate = raised.issued / raised.seconds;
  const directRate = direct.issued / direct.seconds;
  const extrapolated = extrapolateRealLimit(real, limit, target);
  const issuedOutcome = raised.job.outcomes.find((outcome) => outcome.outcome === "ISSUED")?.count ?? 0;

  report.rows.push(
    {
      metric: `${name} to ${count(target)} customers, raised limits`,
      bff: `${perSecond(raisedRate)} (${fixed(raised.seconds)} s)`,
      baseline: `${perSecond(directRate)} (${fixed(direct.seconds)} s)`,
      ratio: ratio(raisedRate, directRate),
    },
    {
      metric: `  issued / duplicates (simulator state)`,
      bff: `${count(raised.issued)} / ${raised.duplicates}`,
      baseline: `${count(direct.issued)} / ${direct.duplicates}`,
    },
    {
      metric: `  quota kept exactly`,
      bff: `${count(raised.issued)} of ${count(raised.quota)}; ${count(raised.requested - raised.quota)} turned away`,
      baseline: "n/a",
    },
    {
      metric: `  at WeChat Pay's limit (${limitText})`,
      bff: `${perSecond(real.issued / real.seconds)} over ${count(real.issued)}; ${perSecond(extrapolated.rate)} extrapolated to ${count(target)}`,
      baseline: `${limitText} (the limit)`,
    },
    { metric: "  SQL statements per customer", bff: fixed(raised.statementsPerCustomer), baseline: "0" },
    {
      metric: "  CPU: bench process (app + simulator) / machine",
      bff: `${fixed(raised.cpu.processCores, 2)} cores / ${fixed(raised.cpu.machineBusy * 100, 0)}% busy`,
      baseline: "",
    },
    {
      metric: "  busy DB backends and their waits",
      bff: `${fixed(raised.waits.busyBackends)}: ${formatProfile(raised.waits.profile)}`,
      baseline: "",
    },
  );

  const exact = raised.issued === raised.quota && issuedOutcome === raised.quota && raised.duplicates === 0 && real.duplicates === 0 && real.issued === real.quota;
  report.targets.push(
    {
      target: `≥ ${TARGET_PER_SECOND} ${singular(kind)} issuances/s (raised limits)`,
      measured: perSecond(raisedRate),
      met: raisedRate >= TARGET_PER_SECOND,
      reason:
        `${fixed(raised.statementsPerCustomer)} SQL statements per customer; the app process used ${fixed(raised.cpu.processCores, 2)} cores ` +
        `with the machine ${fixed(raised.cpu.machineBusy * 100, 0)}% busy, and its busy database backends were ${formatProfile(raised.waits.profile, 3)}; ` +
        `the same calls made directly reach ${perSecond(directRate)}`,
    },
    {
      target: `zero duplicate ${name}, quota exact`,
      measured: `${raised.duplicates + real.duplicates} duplicates; ${count(raised.issued)} issued of quota ${count(raised.quota)}`,
      met: exact,
    },
  );
  report.notes.push(`${name} at the real limit: measured over ${count(real.issued)} grants in ${fixed(real.seconds)} s, then extrapolated to ${count(target)}: ${extrapolated.explanation}.`);
}

/**
 * Estimate the rate for `target` grants from a shorter run under a token bucket. The first `burst`
 * grants are not held back, and the rest arrive at the steady rate. That rate is read from the second
 * half of the run, or from after the burst if that is later, so tokens refilled during the burst do
 * not inflate it.
 */
function extrapolateRealLimit(run: IssuanceRun, limit: RateLimit, target: number): { rate: number; explanation: string } {
  const burst = Math.max(1, limit.burst ?? Math.min(limit.limit, Math.ceil((limit.limit / limit.intervalMs) * 1000)));
  const times = run.issuedAtMs;
  const steadyFrom = Math.max(burst, Math.floor(times.length / 2));
  if (times.length < steadyFrom + 10) {
    const rate = run.issued / run.seconds;
    return { rate, explanation: `the run was too short to outlast the bucket's burst of ${burst}, so the measured rate stands as is` };
  }

  const burstEndMs = times[burst - 1]!;
  const steadyRate = ((times.length - 1 - steadyFrom) * 1000) / (times.at(-1)! - times[steadyFrom]!);
  const targetSeconds = (burstEndMs + ((target - burst) * 1000) / steadyRate) / 1000;
  return {
    rate: target / targetSeconds,
    explanation: `the first ${burst} grants (the bucket's burst) took ${fixed(burstEndMs / 1000, 2)} s and the later ones came at ${perSecond(steadyRate)}, so ${count(target)} take about ${fixed(targetSeconds)} s`,
  };
}
