import { mkdtempSync, rmSync } from "node:fs";
import { Writable } from "node:stream";
import { tmpdir } from "node:os";
import path from "node:path";
import { GraphQLClient } from "graphql-request";
import { startApp, type RunningApp, type StartOptions } from "../../src/app/start.js";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { signTestToken, TEST_AUDIENCE, TEST_ISSUER, TEST_JWT_SECRET, type TokenOptions } from "./tokens.js";

export interface TestApp {
  app: RunningApp;
  /** Every log line written, when the app was started with captureLogs. */
  logs: string[];
  url: string;
  graphqlUrl: string;
  database: TestDatabase;
  dataDir: string;
  /** A graphql-request client authenticated with a token made from these options. */
  client(options?: TokenOptions, headers?: Record<string, string>): Promise<GraphQLClient>;
  stop(): Promise<void>;
}

export interface TestAppOptions extends StartOptions {
  env?: Record<string, string>;
  /** Reuse a database (for example a second instance on the same data). */
  database?: TestDatabase;
  /** Keep every log line (at debug level) in `logs`, for tests that search them. */
  captureLogs?: boolean;
}

/** Start the real server on a random loopback port against a fresh database. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(path.join(tmpdir(), "bff-test-"));
  const env: Record<string, string> = {
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    PGLITE_DATA_DIR: "memory",
    // Files run in parallel, so each app's simulator takes free ports instead of the fixed default.
    WECHATPAY_SIMULATOR_PORT: "0",
    JWT_SECRET: TEST_JWT_SECRET,
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    LOG_LEVEL: process.env["TEST_LOG_LEVEL"] ?? "silent",
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const logs: string[] = [];
  const logger =
    options.logger ??
    (options.captureLogs
      ? createLogger("debug", new Writable({ write: (chunk, _encoding, done) => done(void logs.push(String(chunk))) }))
      : createLogger(config.logLevel));
  let app: RunningApp;
  try {
    app = await startApp(config, {
      logger,
      now: options.now,
      // Notifications are retried within a second instead of WeChat Pay's minutes, so tests stay short.
      simulator: { notifyRetryScheduleMs: [50, 100, 200, 400, 800], ...options.simulator },
      wechatPayClientOptions: options.wechatPayClientOptions,
    });
  } catch (error) {
    // Tests of failed starts leave nothing behind: the folder goes, and the database unless the test owns it.
    if (!options.database) await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = `http://127.0.0.1:${app.http.port}`;

  return {
    app,
    logs,
    url,
    graphqlUrl: `${url}/graphql`,
    database,
    dataDir,
    async client(tokenOptions = {}, headers = {}) {
      const token = await signTestToken(tokenOptions);
      return new GraphQLClient(`${url}/graphql`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    },
    async stop() {
      await app.stop();
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
