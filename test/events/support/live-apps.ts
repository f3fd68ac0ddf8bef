import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { print, type DocumentNode } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { startApp, type RunningApp } from "../../../src/app/start.js";
import { loadConfig } from "../../../src/config/config.js";
import { createLogger } from "../../../src/logging/logger.js";
import type { TestDatabase } from "../../support/database.js";
import { signTestToken, TEST_AUDIENCE, TEST_ISSUER, TEST_JWT_SECRET, type TokenOptions } from "../../support/tokens.js";

export const TEST_REDIS_URL = process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379";

/**
 * Start one server instance on an existing test database with Redis pub/sub under the given channel
 * prefix. Two instances with the same prefix behave like two replicas behind a load balancer.
 */
export async function startRedisInstance(database: TestDatabase, channelPrefix: string): Promise<{ app: RunningApp; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bff-live-"));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    PGLITE_DATA_DIR: "memory",
    JWT_SECRET: TEST_JWT_SECRET,
    WECHATPAY_SIMULATOR_PORT: "0",
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    LOG_LEVEL: process.env["TEST_LOG_LEVEL"] ?? "silent",
    REDIS_URL: TEST_REDIS_URL,
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  });
  const app = await startApp(config, { logger: createLogger(config.logLevel), pubsubChannelPrefix: channelPrefix });
  return {
    app,
    async stop() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Subscriber<T> {
  /** Every message received so far, in order. */
  messages: T[];
  /** Resolves with the message at `index` once it has arrived. */
  message(index: number, timeoutMs?: number): Promise<T>;
  /** Resolves once no message has arrived for `quietMs`. */
  quiet(quietMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Subscribe over graphql-ws to a server started on loopback and collect what it sends. */
export async function subscribe<T>(
  port: number,
  token: TokenOptions,
  document: DocumentNode,
  variables: Record<string, unknown>,
): Promise<Subscriber<T>> {
  const client: Client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${await signTestToken(token)}` },
  });

  const messages: T[] = [];
  let lastArrival = Date.now();
  const waiters = new Set<() => void>();
  const dispose = client.subscribe<T>(
    { query: print(document), variables },
    {
      next: (message) => {
        messages.push(message as T);
        lastArrival = Date.now();
        for (const waiter of waiters) waiter();
      },
      error: (error) => {
        messages.push({ errors: error } as T);
        for (const waiter of waiters) waiter();
      },
      complete: () => {},
    },
  );

  return {
    messages,
    message(index, timeoutMs = 5_000) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          if (messages.length <= index) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(messages[index]!);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`message ${index} did not arrive within ${timeoutMs} ms; got ${messages.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async quiet(quietMs) {
      while (Date.now() - lastArrival < quietMs) {
        await new Promise((resolve) => setTimeout(resolve, quietMs - (Date.now() - lastArrival) + 5));
      }
    },
    async close() {
      dispose();
      await client.dispose();
    },
  };
}
