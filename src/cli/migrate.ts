import { loadConfig } from "../config/config.js";
import { openDatabase } from "../db/client.js";
import { createLogger } from "../logging/logger.js";

/** Apply every migration in drizzle/ to the configured database (PostgreSQL or the embedded PGlite). */
const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config.database, logger);
try {
  await database.migrate();
  logger.info({ module: "db", driver: config.database.kind }, "migrations applied");
} finally {
  await database.close();
}
