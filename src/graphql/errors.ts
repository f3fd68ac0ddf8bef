import type { MessageKey, MessageParams } from "../i18n/messages.js";

/** Categories a client branches on; they travel in `extensions.code`. */
export const errorCategories = [
  "BAD_USER_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "INTERNAL_SERVER_ERROR",
] as const;
export type ErrorCategory = (typeof errorCategories)[number];

const httpStatusByCategory: Record<ErrorCategory, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

export function httpStatusOf(category: ErrorCategory): number {
  return httpStatusByCategory[category];
}

/**
 * A failure the caller should see as it is: a category, a stable domain reason (`extensions.reason`,
 * for example CAMPAIGN_NOT_FOUND) and a message key rendered in the caller's language at the edge.
 * Anything thrown that is not a DomainError is treated as a bug and masked.
 */
export class DomainError extends Error {
  constructor(
    readonly category: ErrorCategory,
    readonly reason: string,
    readonly messageKey: MessageKey,
    readonly params: MessageParams = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${reason}: ${messageKey}`);
    this.name = "DomainError";
  }
}

export const notFound = (reason: string, messageKey: MessageKey, params: MessageParams) =>
  new DomainError("NOT_FOUND", reason, messageKey, params);

export const badInput = (reason: string, messageKey: MessageKey, params: MessageParams, field?: string) =>
  new DomainError("BAD_USER_INPUT", reason, messageKey, params, field ? { field } : {});
