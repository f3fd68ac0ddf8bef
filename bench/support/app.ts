import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SignJWT } from "jose";
import { startApp, type RunningApp, type StartOptions } from "../../src/app/start.js";
import { loadConfig } from "../../src/config/config.js";
import type { Role } from "../../src/auth/actor.js";

/** HS256 secret of the benchmark's tokens; the app under test is configured with it. */
const JWT_SECRET = "benchmark-only-secret-0123456789abcdef-0123456789";
const JWT_ISSUER = "merchant-center-bench";
const JWT_AUDIENCE = "merchant-center-bff";

export interface BenchAppOptions {
  databaseUrl: string;
  /** Connections in the app's pool; the default is the server's own (10). */
  poolSize?: number;
  start?: StartOptions;
}

export interface BenchApp {
  app: RunningApp;
  /** http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

/** Start the real server with startApp on a free loopback port, logging only errors. */
export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bff-bench-"));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl,
    ...(options.poolSize ? { DATABASE_POOL_SIZE: String(options.poolSize) } : {}),
    JWT_SECRET,
    WECHATPAY_SIMULATOR_PORT: "0",
    JWT_ISSUER,
    JWT_AUDIENCE,
    LOG_LEVEL: process.env["BENCH_LOG_LEVEL"] ?? "error",
  });
  const app = await startApp(config, options.start);

  return {
    app,
    url: `http://127.0.0.1:${app.http.port}`,
    async stop() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TokenClaims {
  tenant: string;
  roles: Role[];
  appid?: string;
  openid?: string;
}

/** Sign a bearer token that the benchmark app accepts, valid for two hours. */
export function signBenchToken(claims: TokenClaims): Promise<string> {
  return new SignJWT({
    tenant_id: claims.tenant,
    roles: claims.roles,
    ...(claims.appid ? { appid: claims.appid } : {}),
    ...(claims.openid ? { openid: claims.openid } : {}),
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("benchmark")
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(new TextEncoder().encode(JWT_SECRET));
}
