import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "../config/config.js";

export type { Logger };

/**
 * Paths of fields that must never reach a log line even when a caller logs a whole object by mistake.
 * Credentials have dedicated names throughout the code base so this list stays short.
 */
const REDACTED_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "*.apiV3Key",
  "*.apiV2Key",
  "*.merchantPrivateKeyPem",
  "*.privateKey",
  "*.secret",
  "*.token",
  "*.signature",
];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "merchant-center-bff" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
