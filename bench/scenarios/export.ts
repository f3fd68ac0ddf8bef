import type postgres from "postgres";
import type { CopyExportOptions, CopyExportResult } from "../baselines/copy-export.js";
import { signBenchToken } from "../support/app.js";
import type { AppHostInfo, AppHostOptions } from "../support/app-host.js";
import { startBenchChild, type BenchChild } from "../support/child-process.js";
import { createBenchDatabase } from "../support/database.js";
import { assertNoUserErrors, graphqlRequest, rootFields } from "../support/graphql.js";
import type { MemoryFigures } from "../support/memory.js";
import { generateOrders } from "../support/order-data.js";
import { explainAnalyze } from "../support/plans.js";
import { formatShares, type CpuShare } from "../support/profiler.js";
import type { SentStatement } from "../support/sql-counter.js";
import { count, fixed, perSecond, ratio, skippedReport, type ScenarioReport } from "../support/report.js";
import { FINISHED_JOB_STATUSES } from "../support/workflows.js";
import type { Scenario, ScenarioContext } from "./scenario.js";

const TENANT = "export";
const TIME_ZONE = "Asia/Shanghai";
const TARGET_PEAK_MB = 256;

interface ExportState {
  id: string;
  status: string;
  processedRows: number;
  rowCount: number | null;
  bytes: number | null;
  error: string | null;
}

export const exportScenario: Scenario = {
  id: "export",
  title: "5. Export",
  run: runExport,
};

async function runExport(context: ScenarioContext): Promise<ScenarioReport> {
  const orders = context.sizes.export.orders;
  const database = await createBenchDatabase("export");
  let app: BenchChild<AppHostInfo> | undefined;
  let baseline: BenchChild<Record<string, never>> | undefined;
  try {
    app = await startBenchChild<AppHostInfo>(new URL("../support/app-host.js", import.meta.url), { databaseUrl: database.url } satisfies AppHostOptions);
    const token = await signBenchToken({ tenant: TENANT, roles: ["analyst"] });
    if (!(await rootFields(app.info.url, token)).has("exportOrders")) return skippedReport("export", exportScenario.title, "exportOrders");

    context.log(`generating ${count(orders)} orders`);
    const started = performance.now();
    await generateOrders(database.sql, {
      tenantId: TENANT,
      orders,
      products: 200,
      customers: Math.max(1, Math.min(50_000, Math.round(orders / 20))),
      end: new Date(),
      promotions: false,
      onProgress: (rows) => context.log(`orders generated: ${count(rows)}`),
    });
    context.log(`orders ready in ${fixed((performance.now() - started) / 1000)} s; exporting`);

    const idle = await app.request<MemoryFigures>("memory.reset");
    // Sampling every 10 ms keeps the profiler's own cost negligible over a long export.
    await app.request("profile.start", 10_000);
    // The last page queries of the export, kept to be explained afterwards.
    await app.request("sql.reset", 10);
    const exportStarted = performance.now();
    const exportStartedAt = Date.now();
    const created = await graphqlRequest(
      app.info.url,
      token,
      `mutation Export($input: ExportOrdersInput!) {
        exportOrders(input: $input) { export { id status processedRows rowCount bytes error } userErrors { code message } }
      }`,
      { input: { format: "CSV", requestId: "bench-export-1" } },
    );
    assertNoUserErrors(created["exportOrders"], "exportOrders");
    const progress: ProgressSample[] = [];
    const finished = await waitForExport(app.info.url, token, created["exportOrders"].export.id, 900_000, async (rows) => {
      const { current } = await app!.request<{ current: MemoryFigures }>("memory.read");
      progress.push({ seconds: (performance.now() - exportStarted) / 1000, rows, heapUsedMb: current.heapUsedMb });
    });
    const seconds = (performance.now() - exportStarted) / 1000;
    const profile = await app.request<CpuShare[]>("profile.stop");
    const memory = await app.request<{ peak: MemoryFigures; current: MemoryFigures; peakRssAt: number }>("memory.read");
    const lastStatements = (await app.request<{ statements: SentStatement[] }>("sql.read")).statements;
    if (finished.status !== "SUCCEEDED") throw new Error(`export ended ${finished.status}: ${finished.error}`);
    const pace = paceOf(progress, orders);
    const peakSeconds = (memory.peakRssAt - exportStartedAt) / 1000;
    const rowsAtPeak = progress.filter((sample) => sample.seconds <= peakSeconds).at(-1)?.rows ?? 0;
    const lastPage = await explainLastPage(database.sql, lastStatements);

    context.log("baseline: COPY … TO STDOUT into a file");
    baseline = await startBenchChild(new URL("../baselines/copy-export.js", import.meta.url), {
      databaseUrl: database.url,
      tenantId: TENANT,
      timeZone: TIME_ZONE,
    } satisfies CopyExportOptions);
    const copy = await baseline.request<CopyExportResult>("run");

    const rows = finished.rowCount ?? 0;
    const rate = rows / seconds;
    const copyRate = copy.rows / copy.seconds;
    const peak = memory.peak.rssMb;
    return {
      id: "export",
      title: exportScenario.title,
      rows: [
        { metric: `${count(orders)} orders to CSV`, bff: `${fixed(seconds)} s`, baseline: `${fixed(copy.seconds)} s`, ratio: ratio(seconds, copy.seconds) },
        { metric: "rows per second", bff: perSecond(rate), baseline: perSecond(copyRate), ratio: ratio(rate, copyRate) },
        {
          metric: "rows per second, first / last fifth of the rows",
          bff: `${perSecond(pace.early)} / ${perSecond(pace.late)}`,
          baseline: "",
        },
        {
          metric: "server heap in use after 20 % / 50 % / 100 % of the rows",
          bff: `${fixed(pace.heapMb.fifth, 0)} / ${fixed(pace.heapMb.half, 0)} / ${fixed(pace.heapMb.all, 0)} MB`,
          baseline: "",
        },
        { metric: "last page query (EXPLAIN ANALYZE)", bff: lastPage, baseline: "one COPY statement" },
        { metric: "rows / bytes written", bff: `${count(rows)} / ${count(finished.bytes ?? 0)}`, baseline: `${count(copy.rows)} / ${count(copy.bytes)}` },
        {
          metric: "process RSS: before / peak",
          bff: `${fixed(idle.rssMb, 0)} / ${fixed(peak, 0)} MB`,
          baseline: `${fixed(copy.idle.rssMb, 0)} / ${fixed(copy.peak.rssMb, 0)} MB`,
        },
        {
          metric: "heap used: before / peak",
          bff: `${fixed(idle.heapUsedMb, 0)} / ${fixed(memory.peak.heapUsedMb, 0)} MB`,
          baseline: `${fixed(copy.idle.heapUsedMb, 0)} / ${fixed(copy.peak.heapUsedMb, 0)} MB`,
        },
      ],
      targets: [
        {
          target: `export peak memory < ${TARGET_PEAK_MB} MB (server RSS)`,
          measured: `${fixed(peak, 0)} MB (heap ${fixed(memory.peak.heapUsedMb, 0)} MB)`,
          met: peak < TARGET_PEAK_MB,
          reason:
            `RSS rose from ${fixed(idle.rssMb, 0)} MB to ${fixed(peak, 0)} MB. The heap in use (uncollected garbage included) ` +
            `read ${fixed(pace.heapMb.fifth, 0)} MB after a fifth of the rows and ${fixed(pace.heapMb.half, 0)} MB after half, and peaked at ` +
            `${fixed(memory.peak.heapUsedMb, 0)} MB; memory outside the heap peaked at ${fixed(memory.peak.externalMb, 0)} MB. ` +
            `The RSS peak came ${fixed(peakSeconds, 0)} s into the ${fixed(seconds, 0)} s export, with ${count(rowsAtPeak)} rows reported written`,
        },
      ],
      notes: [
        `Rows per second of the export went from ${perSecond(pace.early)} over its first fifth to ${perSecond(pace.late)} over its last, ${fixed(1_000_000 / pace.late, 0)} ms per 1,000-row page at the end; one of the last page queries, run again under EXPLAIN ANALYZE: ${lastPage}.`,
        `The export goes through exportOrders (CSV, the default sort) to the export's SUCCEEDED state, polled every 250 ms, with the server in its own process whose memory is sampled every 20 ms. The baseline streams the same columns from COPY (SELECT …) TO STDOUT through postgres.js into a file, also in a process of its own.`,
        `CPU profile of the server during the export (V8 sampling): ${formatShares(profile, 8)}.`,
      ],
    };
  } finally {
    await baseline?.stop();
    await app?.stop();
    await database.drop();
  }
}

interface ProgressSample {
  seconds: number;
  rows: number;
  /** Heap in use in the server process at that moment, in MiB. */
  heapUsedMb: number;
}

/**
 * Rows per second over the first and the last fifth of the rows, and the server's heap when a fifth,
 * half and all of the rows were written, from the polled progress.
 */
function paceOf(samples: ProgressSample[], total: number) {
  const at = (rows: number) => samples.find((sample) => sample.rows >= rows);
  const rate = (from: ProgressSample | undefined, to: ProgressSample | undefined) =>
    from && to && to.seconds > from.seconds ? (to.rows - from.rows) / (to.seconds - from.seconds) : Number.NaN;
  const start: ProgressSample = { seconds: 0, rows: 0, heapUsedMb: Number.NaN };
  const heap = (fraction: number) => at(total * fraction)?.heapUsedMb ?? Number.NaN;
  return {
    early: rate(start, at(total * 0.2)),
    late: rate(at(total * 0.8), at(total)),
    heapMb: { fifth: heap(0.2), half: heap(0.5), all: heap(1) },
  };
}

/** Run one of the export's last page queries again under EXPLAIN ANALYZE and summarise its scan. */
async function explainLastPage(sql: postgres.Sql, statements: SentStatement[]): Promise<string> {
  // The very last page query usually finds no rows left, so the one before it is the deep, full page.
  const pages = statements.filter((statement) => /from "orders"/i.test(statement.text) && /\blimit\b/i.test(statement.text));
  const page = pages.at(-2) ?? pages.at(-1);
  if (!page) return "no page query seen";
  return (await explainAnalyze(sql, "orders", page.text, page.parameters)).text;
}

async function waitForExport(
  url: string,
  token: string,
  id: string,
  timeoutMs: number,
  onProgress: (rows: number) => Promise<void>,
): Promise<ExportState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const data = await graphqlRequest<{ orderExport: ExportState | null }>(
      url,
      token,
      `query State($id: ID!) { orderExport(id: $id) { id status processedRows rowCount bytes error } }`,
      { id },
    );
    const state = data.orderExport;
    if (!state) throw new Error(`export ${id} not found`);
    await onProgress(state.status === "SUCCEEDED" ? (state.rowCount ?? state.processedRows) : state.processedRows);
    if (FINISHED_JOB_STATUSES.has(state.status)) return state;
    if (Date.now() > deadline) throw new Error(`export ${id} still ${state.status} after ${timeoutMs} ms (${state.processedRows} rows)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
