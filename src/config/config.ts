import { readEnvironment, type EnvironmentReader } from "./environment.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export type DatabaseConfig =
  | { kind: "postgres"; url: string; poolSize: number }
  | { kind: "pglite"; dataDir: string | "memory" };

export type JwtKeySource =
  | { kind: "jwks"; url: string; cooldownMs?: number }
  | { kind: "publicKey"; pem: string; algorithm: "RS256" | "ES256" | "EdDSA" }
  | { kind: "secret"; secret: string }
  | { kind: "embeddedSecret" };

export interface JwtConfig {
  keySource: JwtKeySource;
  issuer: string;
  audience: string;
  /** Accepted difference between our clock and the issuer's, in seconds. */
  clockToleranceSeconds: number;
}

export interface AppConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Folder for everything the embedded mode keeps on disk (PGlite files, generated keys, exports). */
  dataDir: string;
  redisUrl: string | undefined;
  jwt: JwtConfig;
  /** 32-byte key that encrypts merchant credentials at rest; undefined means "generate under dataDir". */
  secretsKey: Buffer | undefined;
  /** Public address WeChat Pay calls back; unset means the address the server listens on. */
  publicBaseUrl: string | undefined;
  logLevel: LogLevel;
  defaultTimeZone: string;
  /** WeChat Pay endpoint for merchants without their own; undefined starts the built-in simulator. */
  wechatPayApiBaseUrl: string | undefined;
  /** Loopback APIv3 port of the built-in simulator; its APIv2 port is the next one. 0 picks free ports. */
  wechatPaySimulatorPort: number;
  /** How long an in-flight request or job may run after SIGTERM before the process exits, in ms. */
  shutdownGraceMs: number;
  /** Largest accepted GraphQL query depth. */
  maxQueryDepth: number;
}

/**
 * Read and validate the process environment once. Throws a ConfigError naming every bad variable and the
 * fix, so start-up stops before anything listens.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const read = readEnvironment(env);
  const config = buildConfig(read);
  read.throwIfInvalid();
  return config;
}

function buildConfig(read: EnvironmentReader): AppConfig {
  const dataDir = read.string("DATA_DIR", ".data");
  const databaseUrl = read.optionalUrl("DATABASE_URL", ["postgres:", "postgresql:"]);
  const pgliteDir = read.string("PGLITE_DATA_DIR", `${dataDir}/pglite`);

  const database: DatabaseConfig = databaseUrl
    ? { kind: "postgres", url: databaseUrl, poolSize: read.integer("DATABASE_POOL_SIZE", 10, { min: 1, max: 200 }) }
    : { kind: "pglite", dataDir: pgliteDir };

  return {
    port: read.integer("PORT", 4000, { min: 0, max: 65535 }),
    host: read.string("HOST", "0.0.0.0"),
    database,
    dataDir,
    redisUrl: read.optionalUrl("REDIS_URL", ["redis:", "rediss:"]),
    jwt: readJwtConfig(read),
    secretsKey: read.optionalBase64Key("SECRETS_KEY", 32),
    publicBaseUrl: read.optionalUrl("PUBLIC_BASE_URL", ["http:", "https:"]),
    logLevel: read.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
    defaultTimeZone: read.timeZone("DEFAULT_TIME_ZONE", "Asia/Shanghai"),
    wechatPayApiBaseUrl: read.optionalUrl("WECHATPAY_API_BASE_URL", ["http:", "https:"]),
    // The APIv2 server takes the next port, so the highest port number is left to it.
    wechatPaySimulatorPort: read.integer("WECHATPAY_SIMULATOR_PORT", 4010, { min: 0, max: 65534 }),
    shutdownGraceMs: read.integer("SHUTDOWN_GRACE_MS", 10_000, { min: 0, max: 600_000 }),
    maxQueryDepth: read.integer("GRAPHQL_MAX_DEPTH", 12, { min: 2, max: 100 }),
  };
}

function readJwtConfig(read: EnvironmentReader): JwtConfig {
  const jwksUrl = read.optionalUrl("JWT_JWKS_URL", ["http:", "https:"]);
  const publicKey = read.optionalPem("JWT_PUBLIC_KEY");
  const secret = read.optionalString("JWT_SECRET");

  const chosen = (
    [
      ["JWT_JWKS_URL", jwksUrl],
      ["JWT_PUBLIC_KEY", publicKey],
      ["JWT_SECRET", secret],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (chosen.length > 1) {
    const names = chosen.map(([name]) => name);
    read.reject(names.join(" and "), `set only one of JWT_JWKS_URL, JWT_PUBLIC_KEY and JWT_SECRET, not ${names.join(" and ")}`);
  }
  const algorithm = read.oneOf("JWT_ALGORITHM", ["RS256", "ES256", "EdDSA"], "RS256");
  if (secret !== undefined && Buffer.byteLength(secret) < 32) {
    read.reject("JWT_SECRET", "use at least 32 bytes for an HS256 secret, for example `openssl rand -base64 48`");
  }

  let keySource: JwtKeySource = { kind: "embeddedSecret" };
  if (jwksUrl) keySource = { kind: "jwks", url: jwksUrl };
  else if (publicKey) {
    keySource = {
      kind: "publicKey",
      pem: publicKey,
      algorithm,
    };
  } else if (secret) keySource = { kind: "secret", secret };

  return {
    keySource,
    issuer: read.string("JWT_ISSUER", "merchant-center-dev"),
    audience: read.string("JWT_AUDIENCE", "merchant-center-bff"),
    clockToleranceSeconds: read.integer("JWT_CLOCK_TOLERANCE_SECONDS", 30, { min: 0, max: 300 }),
  };
}
