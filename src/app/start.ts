import path from "node:path";
import type { AppConfig } from "../config/config.js";
import { DEV_JWT_SECRET_FILE, loadOrCreateLocalKey, SECRETS_KEY_FILE } from "../config/local-secrets.js";
import { openDatabase } from "../db/client.js";
import { createTokenVerifier } from "../auth/token-verifier.js";
import { buildAppSchema } from "../graphql/schema.js";
import { createNotificationRoutes, type NotificationRoutes } from "../http/notification-routes.js";
import { startHttpServer, type HttpServer } from "../http/server.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { connectAppPubSub } from "../realtime/pubsub.js";
import { createCampaignActivityFeed } from "../realtime/campaign-activity.js";
import { loadIssuanceCounts } from "../modules/dashboards/campaign-stats.repository.js";
import { TenantScope } from "../db/tenant-scope.js";
import type { AppServices } from "./services.js";
import { WechatPayGateway } from "../modules/merchants/wechatpay-gateway.js";
import { JobRunner, type JobRunnerOptions } from "../modules/jobs/job-runner.js";
import { registerModules } from "./modules.js";
import { Maintenance } from "./maintenance.js";
import { databaseStartupError, StartupError } from "./startup-error.js";
import {
  SimulatorListenError,
  SimulatorStateFileError,
  startSimulator,
  type StartSimulatorOptions,
  type WechatPaySimulator,
} from "../wechatpay/simulator/index.js";
import type { WechatPayClientOptions } from "../wechatpay/index.js";

/** File under DATA_DIR that keeps the built-in simulator's keys, merchants and other state. */
export const SIMULATOR_STATE_FILE = "wechatpay-simulator.json";

export interface RunningApp {
  services: AppServices;
  http: HttpServer;
  notificationRoutes: NotificationRoutes;
  /** Drain requests, close WebSockets and the database; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  now?: () => Date;
  /** Settings for the built-in simulator, such as a compressed notification retry schedule for tests. */
  simulator?: StartSimulatorOptions;
  /** Overrides for every WeChat Pay client, such as raised rate limits for benchmarks. */
  wechatPayClientOptions?: WechatPayClientOptions;
  jobs?: JobRunnerOptions;
  /** Prefix of the Redis channels when REDIS_URL is set; tests sharing one Redis pass their own. */
  pubsubChannelPrefix?: string;
}

/** Assemble and start the whole server from a validated configuration. */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);

  const databaseUrl = config.database.kind === "postgres" ? config.database.url : undefined;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase(config.database, logger);
    await database.migrate();
  } catch (error) {
    throw databaseStartupError(error, databaseUrl);
  }
  logger.info({ module: "db" }, "migrations applied");

  const embeddedJwtSecret =
    config.jwt.keySource.kind === "embeddedSecret" ? loadOrCreateLocalKey(config.dataDir, DEV_JWT_SECRET_FILE, 32) : undefined;
  const secretsKey = config.secretsKey ?? loadOrCreateLocalKey(config.dataDir, SECRETS_KEY_FILE, 32);
  const verifier = await createTokenVerifier(config.jwt, embeddedJwtSecret);

  // Without a configured WeChat Pay endpoint the server brings its own simulator, so that a fresh clone
  // can connect a merchant account and issue vouchers with no WeChat Pay account at all.
  let simulator: WechatPaySimulator | undefined;
  if (!config.wechatPayApiBaseUrl) {
    try {
      simulator = await startEmbeddedSimulator(config, logger, options.simulator);
    } catch (error) {
      await database.close();
      throw error;
    }
    logger.info({ module: "wechatpay-simulator", apiBaseUrl: simulator.apiBaseUrl }, "built-in WeChat Pay simulator started");
  }

  const pubsub = await connectAppPubSub({ redisUrl: config.redisUrl, channelPrefix: options.pubsubChannelPrefix, logger });
  const campaignActivity = createCampaignActivityFeed({
    pubsub,
    logger,
    loadCounts: (tenantId, campaignId) => loadIssuanceCounts(new TenantScope(tenantId, database.db), campaignId),
  });
  let listeningUrl = "";
  const services: AppServices = {
    config,
    logger,
    database,
    db: database.db,
    pubsub,
    campaignActivity,
    secretsKey,
    wechatPay: new WechatPayGateway(secretsKey, logger, options.wechatPayClientOptions),
    simulator,
    publicBaseUrl: () => config.publicBaseUrl ?? listeningUrl,
    now: options.now ?? (() => new Date()),
  } as AppServices;
  services.jobs = new JobRunner(services, options.jobs);
  services.maintenance = new Maintenance(logger);

  const schema = await buildAppSchema(pubsub);
  let shuttingDown = false;
  const notificationRoutes = createNotificationRoutes(logger);
  const http = await startHttpServer({
    services,
    schema,
    verifier,
    notificationRoutes,
    isShuttingDown: () => shuttingDown,
  });
  listeningUrl = `http://127.0.0.1:${http.port}`;
  registerModules(services, notificationRoutes);
  services.jobs.start();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      shuttingDown = true;
      logger.info({ module: "app" }, "shutting down");
      await http.close();
      await services.maintenance.stop();
      await services.jobs.stop();
      await campaignActivity.close();
      await pubsub.close();
      services.wechatPay.close();
      await simulator?.close();
      await database.close();
      logger.info({ module: "app" }, "stopped");
    })();
    return stopping;
  };

  return { services, http, notificationRoutes, stop };
}

/**
 * Start the built-in simulator on WECHATPAY_SIMULATOR_PORT with its state in DATA_DIR. Connected merchant
 * accounts store the simulator's URLs, CA and platform keys, so both must stay the same across restarts.
 */
async function startEmbeddedSimulator(
  config: AppConfig,
  logger: Logger,
  overrides: StartSimulatorOptions | undefined,
): Promise<WechatPaySimulator> {
  const port = config.wechatPaySimulatorPort;
  try {
    return await startSimulator({
      host: "127.0.0.1",
      port,
      v2Port: port === 0 ? 0 : port + 1,
      stateFile: path.join(config.dataDir, SIMULATOR_STATE_FILE),
      logger: logger.child({ module: "wechatpay-simulator" }),
      ...overrides,
    });
  } catch (error) {
    if (error instanceof SimulatorListenError) {
      throw new StartupError(
        `cannot start the built-in WeChat Pay simulator: ${error.message}. It uses WECHATPAY_SIMULATOR_PORT (${port}) for ` +
          "APIv3 and the next port for APIv2; stop the process that holds the port or set WECHATPAY_SIMULATOR_PORT to another " +
          "free port, keeping it the same across restarts because connected merchant accounts store it",
        { cause: error },
      );
    }
    if (error instanceof SimulatorStateFileError) throw new StartupError(error.message, { cause: error });
    throw error;
  }
}
