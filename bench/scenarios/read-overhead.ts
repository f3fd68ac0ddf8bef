import { isDeepStrictEqual } from "node:util";
import type { AppHostInfo, AppHostOptions } from "../support/app-host.js";
import type { ReadServerOptions } from "../baselines/read-server.js";
import { signBenchToken } from "../support/app.js";
import { startBenchChild, type BenchChild } from "../support/child-process.js";
import { createBenchDatabase } from "../support/database.js";
import { createPoster, rootFields } from "../support/graphql.js";
import { runClosedLoop, type LoadResult } from "../support/load.js";
import { formatShares, type CpuShare } from "../support/profiler.js";
import type { SentStatement } from "../support/sql-counter.js";
import { generateOrders } from "../support/order-data.js";
import { count, fixed, ms, perSecond, ratio, skippedReport, type ScenarioReport } from "../support/report.js";
import { median } from "../support/stats.js";
import type { Scenario, ScenarioContext } from "./scenario.js";

const TENANT = "read";
/** The app's pool size (DATABASE_POOL_SIZE default); the baseline gets as many connections. */
const POOL_SIZE = 10;
const PAGE_SIZES = [10, 50] as const;

const DASHBOARD = `
  query Dashboard($first: Int!) {
    orders(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id orderNo status quantity totalAmount payerTotal discountAmount createdAt paidAt
          product { id name price }
          customer { id openid mobile }
          promotions { couponId stockId name amount }
        }
      }
    }
  }`;

interface StatementRead {
  count: number;
  statements: SentStatement[];
}

export const readOverheadScenario: Scenario = {
  id: "read",
  title: "1. Read overhead",
  run: runReadOverhead,
};

async function runReadOverhead(context: ScenarioContext): Promise<ScenarioReport> {
  const sizes = context.sizes.read;
  const database = await createBenchDatabase("read");
  let app: BenchChild<AppHostInfo> | undefined;
  let baseline: BenchChild<{ url: string }> | undefined;
  const posters: ReturnType<typeof createPoster>[] = [];
  try {
    app = await startBenchChild<AppHostInfo>(new URL("../support/app-host.js", import.meta.url), {
      databaseUrl: database.url,
      poolSize: POOL_SIZE,
    } satisfies AppHostOptions);
    const token = await signBenchToken({ tenant: TENANT, roles: ["analyst"] });
    if (!(await rootFields(app.info.url, token)).has("orders")) return skippedReport("read", readOverheadScenario.title, "orders");

    context.log(`generating ${count(sizes.orders)} orders`);
    await generateOrders(database.sql, { tenantId: TENANT, orders: sizes.orders, products: sizes.products, customers: sizes.customers, end: new Date() });
    baseline = await startBenchChild<{ url: string }>(new URL("../baselines/read-server.js", import.meta.url), {
      databaseUrl: database.url,
      tenantId: TENANT,
      poolSize: POOL_SIZE,
    } satisfies ReadServerOptions);

    const bffPoster = createPoster(`${app.info.url}/graphql`, { authorization: `Bearer ${token}` }, sizes.concurrency);
    const basePoster = createPoster(`${baseline.info.url}/orders`, {}, sizes.concurrency);
    posters.push(bffPoster, basePoster);
    const bffBody = (first: number) => JSON.stringify({ query: DASHBOARD, variables: { first } });
    const baseBody = (first: number) => JSON.stringify({ first });

    // Both must return the same JSON, or the comparison would be of different work.
    for (const first of PAGE_SIZES) {
      const served = JSON.parse(await bffPoster.post(bffBody(first)));
      const expected = JSON.parse(await basePoster.post(baseBody(first)));
      if (!isDeepStrictEqual(served, expected)) {
        throw new Error(`the baseline's JSON differs from the BFF's at first=${first}:\n${JSON.stringify(served).slice(0, 600)}\n---\n${JSON.stringify(expected).slice(0, 600)}`);
      }
    }

    const statements = {
      bff: await statementsPerRequest(app, () => bffPoster.post(bffBody(50)), () => bffPoster.post(bffBody(10)), sizes.statementSamples),
      baseline: await statementsPerRequest(baseline, () => basePoster.post(baseBody(50)), () => basePoster.post(baseBody(10)), sizes.statementSamples),
    };

    const load = async (server: BenchChild<unknown>, poster: typeof bffPoster, body: string) => {
      const before = await server.request<NodeJS.CpuUsage>("cpu.usage");
      const result = await runClosedLoop({
        concurrency: sizes.concurrency,
        warmupMs: sizes.warmupMs,
        durationMs: sizes.durationMs,
        send: () => poster.post(body),
      });
      const after = await server.request<NodeJS.CpuUsage>("cpu.usage");
      const cpuMs = (after.user - before.user + after.system - before.system) / 1000;
      return { ...result, cpuMsPerRequest: cpuMs / result.allRequests };
    };
    context.log(`load: ${sizes.concurrency} concurrent requests for ${sizes.durationMs / 1000} s each`);
    const baseLoad = await load(baseline, basePoster, baseBody(50));
    const bffLoad = await load(app, bffPoster, bffBody(50));
    const responseBytes = Buffer.byteLength(await bffPoster.post(bffBody(50)));

    // A separate, shorter pass under the profiler, whose sampling would slow the measured one.
    await app.request("profile.start");
    await runClosedLoop({ concurrency: sizes.concurrency, warmupMs: 0, durationMs: Math.min(2_000, sizes.durationMs), send: () => bffPoster.post(bffBody(50)) });
    const profile = await app.request<CpuShare[]>("profile.stop");

    return buildReport(context, { bffLoad, baseLoad, statements, responseBytes, profile });
  } finally {
    for (const poster of posters) poster.close();
    await baseline?.stop();
    await app?.stop();
    await database.drop();
  }
}

type MeasuredLoad = LoadResult & { cpuMsPerRequest: number };

interface StatementFigures {
  at50: number;
  at10: number;
  /** The statements of one request of 50 orders, each shortened to its verb and first table. */
  kinds: string[];
}

async function statementsPerRequest(
  server: BenchChild<unknown>,
  send50: () => Promise<unknown>,
  send10: () => Promise<unknown>,
  samples: number,
): Promise<StatementFigures> {
  // The pool also serves the job runner's polls and maintenance sweeps, which may land inside a
  // request's window now and then, so each request is counted alone and the median is kept.
  const measure = async (send: () => Promise<unknown>) => {
    const counts: number[] = [];
    let typical: SentStatement[] = [];
    for (let index = 0; index < samples; index++) {
      await server.request("sql.reset", 100);
      await send();
      const read = await server.request<StatementRead>("sql.read");
      counts.push(read.count);
      if (read.count === median(counts)) typical = read.statements;
    }
    return { perRequest: median(counts), typical };
  };
  const at10 = await measure(send10);
  const at50 = await measure(send50);
  return { at10: at10.perRequest, at50: at50.perRequest, kinds: at50.typical.map((statement) => describeStatement(statement.text)) };
}

/** "select … from orders" style label of a statement. */
function describeStatement(text: string): string {
  const verb = text.trim().split(/\s+/, 1)[0]!.toLowerCase();
  const table = /\bfrom\s+"?(\w+)"?/i.exec(text)?.[1] ?? "";
  const counting = /count\(/i.test(text) && verb === "select" && !/json_agg/i.test(text) ? " count" : "";
  return `${verb}${counting} ${table}`.trim();
}

function buildReport(
  context: ScenarioContext,
  input: {
    bffLoad: MeasuredLoad;
    baseLoad: MeasuredLoad;
    statements: { bff: StatementFigures; baseline: StatementFigures };
    responseBytes: number;
    profile: CpuShare[];
  },
): ScenarioReport {
  const { bffLoad, baseLoad, statements } = input;
  const share = bffLoad.throughput / baseLoad.throughput;
  const sizes = context.sizes.read;

  return {
    id: "read",
    title: readOverheadScenario.title,
    rows: [
      { metric: "throughput, 50 orders per request", bff: perSecond(bffLoad.throughput), baseline: perSecond(baseLoad.throughput), ratio: ratio(bffLoad.throughput, baseLoad.throughput) },
      { metric: "latency p50", bff: ms(bffLoad.p50Ms), baseline: ms(baseLoad.p50Ms), ratio: ratio(bffLoad.p50Ms, baseLoad.p50Ms) },
      { metric: "latency p99", bff: ms(bffLoad.p99Ms), baseline: ms(baseLoad.p99Ms), ratio: ratio(bffLoad.p99Ms, baseLoad.p99Ms) },
      {
        metric: "server CPU per request",
        bff: ms(bffLoad.cpuMsPerRequest),
        baseline: ms(baseLoad.cpuMsPerRequest),
        ratio: ratio(bffLoad.cpuMsPerRequest, baseLoad.cpuMsPerRequest),
      },
      { metric: "requests measured / failed", bff: `${count(bffLoad.requests)} / ${bffLoad.errors}`, baseline: `${count(baseLoad.requests)} / ${baseLoad.errors}` },
      { metric: "SQL statements per request, 10 orders (median)", bff: String(statements.bff.at10), baseline: String(statements.baseline.at10) },
      { metric: "SQL statements per request, 50 orders (median)", bff: String(statements.bff.at50), baseline: String(statements.baseline.at50) },
      { metric: "statements of one request", bff: statements.bff.kinds.join("; "), baseline: statements.baseline.kinds.join("; ") },
    ],
    targets: [
      {
        target: "read throughput ≥ 0.5× baseline",
        measured: `${fixed(share, 2)}× (${perSecond(bffLoad.throughput)} vs ${perSecond(baseLoad.throughput)})`,
        met: share >= 0.5,
        reason:
          `the server spends ${ms(bffLoad.cpuMsPerRequest)} of CPU per request against ${ms(baseLoad.cpuMsPerRequest)}, ` +
          `so its one JavaScript thread caps it near ${perSecond(1000 / bffLoad.cpuMsPerRequest)}; ` +
          `profile of that CPU: ${formatShares(input.profile)}`,
      },
      {
        target: "≤ 3 SQL statements per request, not growing with page size",
        measured: `${statements.bff.at10} at 10 orders, ${statements.bff.at50} at 50`,
        met: statements.bff.at50 <= 3 && statements.bff.at50 <= statements.bff.at10,
        reason: `one request sends ${statements.bff.kinds.join("; ")}`,
      },
    ],
    notes: [
      `${count(sizes.orders)} orders over ${count(sizes.products)} products and ${count(sizes.customers)} customers; two in three orders carry voucher deductions. ${sizes.concurrency} requests in flight for ${sizes.durationMs / 1000} s after ${sizes.warmupMs / 1000} s of warm-up, each for the newest 50 orders (${count(input.responseBytes)} bytes of JSON).`,
      `CPU profile of the BFF process under the same load (V8 sampling, by package or source folder): ${formatShares(input.profile, 10)}.`,
      "The BFF runs with startApp in its own process and is queried over HTTP with a bearer token; the baseline is a node:http handler in its own process with one hand-written SQL statement and no auth. Both return the same JSON (checked before measuring) and have pools of 10 connections. Statements are counted through the postgres.js debug hook of each pool.",
    ],
  };
}
