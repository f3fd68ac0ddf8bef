import type { Actor } from "../auth/actor.js";
import { TenantScope } from "../db/tenant-scope.js";
import type { Locale } from "../i18n/locale.js";
import { translate, type MessageKey, type MessageParams } from "../i18n/messages.js";
import type { Logger } from "../logging/logger.js";
import type { AppServices } from "../app/services.js";
import { DomainError } from "./errors.js";

/**
 * Request facts that every resolver and service receives first: the caller, its tenant and language,
 * and a logger that carries the request id. Services reach the database only through `scope()`.
 */
export interface RequestContext {
  requestId: string;
  locale: Locale;
  logger: Logger;
  actor: Actor | null;
  services: AppServices;
}

/** Return the tenant-scoped database of an authenticated request. */
export function tenantScope(ctx: RequestContext): TenantScope {
  const actor = requireActor(ctx);
  return new TenantScope(actor.tenantId, ctx.services.db);
}

export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new DomainError("UNAUTHENTICATED", "MISSING_TOKEN", "auth.missingToken");
  return ctx.actor;
}

export function t(ctx: Pick<RequestContext, "locale">, key: MessageKey, params?: MessageParams): string {
  return translate(ctx.locale, key, params);
}
