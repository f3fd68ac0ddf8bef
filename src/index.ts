import "reflect-metadata";
import { startApp } from "./app/start.js";
import { ConfigError } from "./config/environment.js";
import { loadConfig } from "./config/config.js";
import { createLogger } from "./logging/logger.js";
import { StartupError } from "./app/startup-error.js";
import { readOrderSettings } from "./modules/orders/order.settings.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    // Module settings are read from the same environment; checking them here stops start-up the same way.
    readOrderSettings(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG from sysexits.h: the configuration is wrong, restarting will not help.
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  const app = await startApp(config, { logger });
  logger.info({ url: `${app.http.url}/graphql`, database: config.database.kind }, "merchant center BFF ready");

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "shutdown requested");
    // A second signal while draining means the operator wants out now.
    process.once(signal, () => process.exit(130));
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  // Failures with a known fix print one line; anything else keeps its stack for a bug report.
  const known = error instanceof StartupError || (error instanceof Error && /^(PORT|HOST) /.test(error.message));
  let detail = String(error);
  if (error instanceof Error) detail = known ? error.message : (error.stack ?? error.message);
  process.stderr.write(`merchant center BFF failed to start: ${detail}\n`);
  process.exit(1);
});
