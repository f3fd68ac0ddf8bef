import type { AppConfig } from "../config/config.js";
import type { DatabaseHandle } from "../db/client.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../logging/logger.js";
import type { AppPubSub } from "../realtime/pubsub.js";

/** Long-lived parts of the application, created once at start and shared by every request. */
export interface AppServices {
  config: AppConfig;
  logger: Logger;
  database: DatabaseHandle;
  db: Database;
  pubsub: AppPubSub;
  /** 32-byte key that encrypts merchant credentials at rest. */
  secretsKey: Buffer;
  /** Current time; tests replace it to cross midnight or expiry deadlines. */
  now: () => Date;
}
