/**
 * Child process that runs the real server for scenarios that measure the server apart from the load
 * generator: its CPU, its memory and the SQL statements its pool sends.
 */
import type { StartOptions } from "../../src/app/start.js";
import { startBenchApp } from "./app.js";
import { childOptions, failStartup, serveParent } from "./child-process.js";
import { guardOutboundConnections } from "./loopback.js";
import { MemorySampler } from "./memory.js";
import { CpuProfiler } from "./profiler.js";
import { recordGrantsAtRate, type RecordedGrantsInput } from "./recorded-grants.js";
import { countStatements, postgresClientOf } from "./sql-counter.js";

export interface AppHostOptions {
  databaseUrl: string;
  poolSize?: number;
  wechatPayClientOptions?: StartOptions["wechatPayClientOptions"];
}

export interface AppHostInfo {
  url: string;
}

guardOutboundConnections();

try {
  const options = childOptions<AppHostOptions>();
  const bench = await startBenchApp({
    databaseUrl: options.databaseUrl,
    poolSize: options.poolSize,
    start: { wechatPayClientOptions: options.wechatPayClientOptions },
  });
  const statements = countStatements(postgresClientOf(bench.app.services.db));
  const memory = new MemorySampler();
  const profiler = new CpuProfiler();

  serveParent(
    { url: bench.url } satisfies AppHostInfo,
    {
      "memory.reset": () => memory.reset(),
      "memory.read": () => memory.read(),
      "sql.reset": (keep: number) => statements.reset(keep),
      "sql.read": () => ({ count: statements.count(), statements: statements.statements() }),
      "cpu.usage": () => process.cpuUsage(),
      "profile.start": (intervalMicros?: number) => profiler.start(intervalMicros),
      "profile.stop": () => profiler.stop(),
      "grants.record": (input: RecordedGrantsInput) => recordGrantsAtRate(bench.app.services, input),
    },
    () => bench.stop(),
  );
} catch (error) {
  failStartup(error);
}
