import "reflect-metadata";
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startApp } from "../app/start.js";
import { loadConfig } from "../config/config.js";
import { ConfigError } from "../config/environment.js";
import { DemoClock } from "../demo/demo-clock.js";
import { formatReport } from "../demo/print-report.js";
import { FULL_SIZE, runDemo, SHORT_SIZE } from "../demo/run-demo.js";
import { createLogger } from "../logging/logger.js";

const usage = `Usage: npm run demo [-- --short] [-- --exit]

Starts the server on the embedded defaults (PGlite and the built-in WeChat Pay simulator), plays a
campaign through the API as the real clients would, prints a report and keeps serving.
  --short  a few hundred customers instead of thousands
  --exit   stop the server after the report
The demo's data lives in DEMO_DATA_DIR (default .data/demo) and is replaced on every run; DATA_DIR,
PGLITE_DATA_DIR and DATABASE_URL are ignored so the server's own data is never touched.`;

const { values } = parseArgs({ options: { short: { type: "boolean" }, exit: { type: "boolean" }, help: { type: "boolean" } } });
if (values.help) {
  console.log(usage);
  process.exit(0);
}

// The demo rebuilds its data on every run, so it never touches the server's own DATA_DIR or DATABASE_URL:
// it always runs on the embedded defaults in a folder of its own.
const dataDir = process.env["DEMO_DATA_DIR"] ?? ".data/demo";
const ignored = ["DATA_DIR", "PGLITE_DATA_DIR", "DATABASE_URL"].filter((name) => process.env[name]);
if (ignored.length > 0) console.warn(`The demo ignores ${ignored.join(", ")} and keeps its own data in ${dataDir} (DEMO_DATA_DIR).`);

const environment = { ...process.env };
for (const name of ignored) delete environment[name];
let config;
try {
  config = loadConfig({
    LOG_LEVEL: "error",
    // Its own free port, so the demo runs next to a development server on the default one.
    WECHATPAY_SIMULATOR_PORT: "0",
    ...environment,
    DATA_DIR: dataDir,
    PGLITE_DATA_DIR: path.join(dataDir, "pglite"),
  });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}
if (config.wechatPayApiBaseUrl) {
  console.error("The demo runs against the built-in WeChat Pay simulator; unset WECHATPAY_API_BASE_URL.");
  process.exit(78);
}

// The demo's data is rebuilt from scratch on every run, so the report matches what the database holds.
rmSync(path.join(dataDir, "pglite"), { recursive: true, force: true });
rmSync(path.join(dataDir, "exports-demo"), { recursive: true, force: true });
rmSync(path.join(dataDir, "wechatpay-simulator.json"), { force: true });

const logger = createLogger(config.logLevel);
const clock = new DemoClock(4);
const app = await startApp(config, { logger, now: clock.now });
const serverUrl = `http://localhost:${app.http.port}`;
console.log(`服务已启动 Server started at ${serverUrl}/graphql (${config.database.kind})`);

try {
  const started = Date.now();
  const report = await runDemo({
    app,
    size: values.short ? SHORT_SIZE : FULL_SIZE,
    clock,
    outputDir: path.join(dataDir, "exports-demo"),
    log: (line) => console.log(`▶ ${line}`),
  });
  console.log(`\n${formatReport(report, serverUrl)}\n`);
  console.log(`演示用时 Demo took ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  const cause = error instanceof Error && error.cause ? `\ncaused by: ${String((error.cause as Error).stack ?? error.cause)}` : "";
  console.error(`The demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}${cause}`);
  await app.stop();
  process.exit(1);
}

if (values.exit) {
  await app.stop();
  process.exit(0);
}
console.log("服务继续运行，按 Ctrl+C 停止 / The server keeps running; press Ctrl+C to stop it.");
const stop = () => void app.stop().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
