import type { AppConfig } from "../config/config.js";
import type { DatabaseHandle } from "../db/client.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../logging/logger.js";
import type { AppPubSub } from "../realtime/pubsub.js";
import type { CampaignActivityFeed } from "../realtime/campaign-activity.js";
import type { WechatPayGateway } from "../modules/merchants/wechatpay-gateway.js";
import type { WechatPaySimulator } from "../wechatpay/simulator/index.js";
import type { JobRunner } from "../modules/jobs/job-runner.js";
import type { Maintenance } from "./maintenance.js";

/** Long-lived parts of the application, created once at start and shared by every request. */
export interface AppServices {
  config: AppConfig;
  logger: Logger;
  database: DatabaseHandle;
  db: Database;
  pubsub: AppPubSub;
  /** Coalesces campaign activity into live issuance counts; see notifyCampaignActivity. */
  campaignActivity: CampaignActivityFeed;
  /** 32-byte key that encrypts merchant credentials at rest. */
  secretsKey: Buffer;
  /** WeChat Pay clients per merchant account. */
  wechatPay: WechatPayGateway;
  /** The built-in WeChat Pay simulator, when no endpoint is configured. */
  simulator: WechatPaySimulator | undefined;
  /** Durable background jobs (bulk issuing, exports, reconciliation). */
  jobs: JobRunner;
  /** Periodic housekeeping: recovery sweeps, syncs and expiries. */
  maintenance: Maintenance;
  /** Base of URLs WeChat Pay calls back, such as notify_url: PUBLIC_BASE_URL or the listening address. */
  publicBaseUrl(): string;
  /** Current time; tests replace it to cross midnight or expiry deadlines. */
  now: () => Date;
}
