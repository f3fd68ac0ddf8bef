/**
 * Benchmarks of the BFF against baselines measured in the same run on the same machine.
 *
 *   npm run bench                      every scenario at full size (compiles into bench/.build first)
 *   npm run bench -- --quick           tiny sizes, as the CI smoke step
 *   npm run bench -- --only=read,export
 *
 * Exits non-zero only when a scenario crashes; a missed target is reported, not failed.
 */
import "reflect-metadata";
import { execFileSync } from "node:child_process";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { linkMigrationsIntoBuild } from "./support/build-layout.js";
import { dropOpenDatabases, serverVersion, ADMIN_DATABASE_URL } from "./support/database.js";
import { assertLoopbackUrl, guardOutboundConnections } from "./support/loopback.js";
import { formatScenario, markdownTable, type ScenarioReport } from "./support/report.js";
import { FULL_SIZES, QUICK_SIZES } from "./support/sizes.js";
import type { Scenario, ScenarioContext } from "./scenarios/scenario.js";
import { readOverheadScenario } from "./scenarios/read-overhead.js";
import { issuanceScenario } from "./scenarios/issuance.js";
import { analyticsScenario } from "./scenarios/analytics.js";
import { fanOutScenario } from "./scenarios/fan-out.js";
import { exportScenario } from "./scenarios/export.js";

const scenarios: Scenario[] = [readOverheadScenario, issuanceScenario, analyticsScenario, fanOutScenario, exportScenario];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run bench -- [--quick] [--only=${scenarios.map((scenario) => scenario.id).join(",")}]`);
  process.exit(0);
}

guardOutboundConnections();
linkMigrationsIntoBuild();
assertLoopbackUrl(ADMIN_DATABASE_URL, "TEST_DATABASE_URL");

const selected = values.only ? new Set(values.only.split(",").map((id) => id.trim())) : undefined;
const unknown = [...(selected ?? [])].filter((id) => !scenarios.some((scenario) => scenario.id === id));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(", ")}; choose from ${scenarios.map((scenario) => scenario.id).join(", ")}`);
  process.exit(2);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`${signal}: dropping the benchmark databases`);
    void dropOpenDatabases().finally(() => process.exit(130));
  });
}

const context: ScenarioContext = {
  quick: values.quick,
  sizes: values.quick ? QUICK_SIZES : FULL_SIZES,
  log: (message) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`),
};

console.log(`## Benchmark run ${new Date().toISOString()}${values.quick ? " (--quick)" : ""}\n`);
console.log(
  `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? "unknown"}), ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB memory (${(freemem() / 2 ** 30).toFixed(1)} GiB free), ${await serverVersion()} at ${new URL(ADMIN_DATABASE_URL).host}, ` +
    `commit ${describeCommit()}, load average ${formatLoad()}\n`,
);

const reports: ScenarioReport[] = [];
let crashed = 0;
const runStarted = performance.now();
for (const scenario of scenarios) {
  if (selected && !selected.has(scenario.id)) continue;
  context.log(`${scenario.title}: starting`);
  const started = performance.now();
  try {
    const report = await scenario.run(context);
    report.seconds = (performance.now() - started) / 1000;
    reports.push(report);
    console.log(formatScenario(report));
  } catch (error) {
    crashed++;
    console.log(`### ${scenario.title}\n\ncrashed: ${(error as Error).stack ?? String(error)}\n`);
  }
}

const checks = reports.flatMap((report) => report.targets.map((check) => [report.title, check.target, check.measured, check.met ? "met" : "MISSED"]));
if (checks.length > 0) console.log(`### Targets\n\n${markdownTable(["scenario", "target", "measured", "result"], checks)}\n`);
console.log(`Total time ${((performance.now() - runStarted) / 1000).toFixed(0)} s; ${crashed} scenario(s) crashed; load average ${formatLoad()}.`);

await dropOpenDatabases();
process.exit(crashed > 0 ? 1 : 0);

/** 1, 5 and 15 minute load averages: other work on the machine skews every figure. */
function formatLoad(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(" / ");
}

/** Describe the checked-out commit and how many files differ from it ("unknown" outside a git checkout). */
function describeCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const changed = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" }).split("\n").filter(Boolean).length;
    return changed > 0 ? `${head} with ${changed} uncommitted files` : head;
  } catch {
    return "unknown";
  }
}
