import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "../logging/logger.js";
import { negotiateLocale } from "../i18n/locale.js";
import { translate } from "../i18n/messages.js";

/** True when any string in the value, at any depth, contains the NUL character. */
export function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsNul);
  return false;
}

/**
 * Reject GraphQL requests whose strings contain NUL: PostgreSQL text cannot store it, so such a value
 * would otherwise fail deep inside a write instead of as bad input.
 */
export const rejectNulCharacters: RequestHandler = (request, response, next) => {
  if (!containsNul(request.body) && !containsNul(request.query)) {
    next();
    return;
  }
  const locale = negotiateLocale(request.headers["accept-language"]);
  response.status(400).json({
    errors: [{ message: translate(locale, "error.nulCharacter"), extensions: { code: "BAD_USER_INPUT", reason: "NUL_CHARACTER" } }],
  });
};

/**
 * Last error handler: malformed or oversized bodies get a GraphQL-shaped JSON error, anything else a
 * masked 500. Otherwise Express responds with an HTML page that carries a stack trace.
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number; message?: string }, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const locale = negotiateLocale(request.headers["accept-language"]);

    if (error.type === "entity.parse.failed") {
      response.status(400).json({ errors: [{ message: translate(locale, "error.invalidJson"), extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    if (error.type === "entity.too.large") {
      response.status(413).json({ errors: [{ message: translate(locale, "error.bodyTooLarge"), extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
      response.status(error.status).json({ errors: [{ message: translate(locale, "error.badRequest"), extensions: { code: "BAD_REQUEST" } }] });
      return;
    }

    const requestId = String(response.getHeader("x-request-id") ?? "unknown");
    logger.error({ module: "http", err: error, path: request.path, requestId }, "unhandled error in HTTP route");
    response.status(500).json({ errors: [{ message: translate(locale, "error.internal", { requestId }), extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
  };
}
