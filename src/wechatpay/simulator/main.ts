import { pino } from "pino";
import { startSimulator } from "./index.js";

// Standalone simulator for demos and manual testing: `npm run wechatpay:simulator`.
// PORT and V2_PORT choose the ports (0 or unset picks free ones); HOST may be 127.0.0.1 or ::1.

const logger = pino({ name: "wechatpay-simulator" });

function readPort(name: string): number {
  const value = process.env[name];
  if (value === undefined || value === "") return 0;

  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

const host = process.env.HOST ?? "127.0.0.1";
if (host !== "127.0.0.1" && host !== "::1") throw new Error(`HOST must be 127.0.0.1 or ::1, got ${JSON.stringify(host)}`);

const simulator = await startSimulator({ host, port: readPort("PORT"), v2Port: readPort("V2_PORT"), logger });

process.stdout.write(
  [
    "WeChat Pay simulator running",
    `  APIv3 (JSON):        ${simulator.apiBaseUrl}`,
    `  APIv2 (mutual TLS):  ${simulator.apiV2BaseUrl}`,
    `  control API:         ${simulator.apiBaseUrl}/_simulator`,
    `  create a merchant:   curl -X POST ${simulator.apiBaseUrl}/_simulator/merchants -d '{}'`,
    "",
  ].join("\n"),
);

const stop = (signal: string): void => {
  logger.info({ signal }, "stopping simulator");
  simulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, "simulator did not stop cleanly");
      process.exit(1);
    },
  );
};
process.once("SIGINT", () => stop("SIGINT"));
process.once("SIGTERM", () => stop("SIGTERM"));
