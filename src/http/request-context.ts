import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import type { IncomingHttpHeaders } from "node:http";
import type { AppServices } from "../app/services.js";
import type { Actor } from "../auth/actor.js";
import { bearerToken } from "../auth/bearer.js";
import type { TokenVerifier } from "../auth/token-verifier.js";
import { DomainError, httpStatusOf } from "../graphql/errors.js";
import type { RequestContext } from "../graphql/context.js";
import { negotiateLocale, type Locale } from "../i18n/locale.js";
import { translate } from "../i18n/messages.js";

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;

/** Reuse a caller's X-Request-Id when it looks like one, so logs line up across services. */
export function requestIdFrom(headers: IncomingHttpHeaders): string {
  const header = headers["x-request-id"];
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID_PATTERN.test(value) ? value : randomUUID();
}

export function localeFrom(headers: IncomingHttpHeaders): Locale {
  return negotiateLocale(headers["accept-language"]);
}

/**
 * Verify the bearer token, if any. No token means an anonymous caller (fields then demand one); a token
 * that fails verification rejects the whole request, because guessing the caller's intent is unsafe.
 */
export async function authenticate(
  verifier: TokenVerifier,
  authorization: string | undefined,
  locale: Locale,
): Promise<Actor | null> {
  if (authorization === undefined || authorization.trim() === "") return null;

  const token = bearerToken(authorization);
  try {
    if (!token) {
      throw new DomainError("UNAUTHENTICATED", "INVALID_TOKEN", "auth.malformedHeader");
    }
    return await verifier.verify(token);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new GraphQLError(translate(locale, error.messageKey, error.params), {
      extensions: {
        code: error.category,
        reason: error.reason,
        http: { status: httpStatusOf(error.category), headers: new Map([["www-authenticate", 'Bearer error="invalid_token"']]) },
      },
    });
  }
}

export function buildRequestContext(
  services: AppServices,
  requestId: string,
  locale: Locale,
  actor: Actor | null,
): RequestContext {
  const logger = services.logger.child({ requestId, ...(actor ? { tenantId: actor.tenantId } : {}) });
  return { requestId, locale, logger, actor, services };
}
