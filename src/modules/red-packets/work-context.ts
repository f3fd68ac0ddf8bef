import type { AppServices } from "../../app/services.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { RequestContext } from "../../graphql/context.js";
import { tenantScope } from "../../graphql/context.js";
import type { Logger } from "../../logging/logger.js";

/**
 * Dependencies of issuing, whether a request, a job, the recovery sweep or a notification started it:
 * the services, the tenant scope and a logger carrying the caller's ids.
 */
export interface WorkContext {
  services: AppServices;
  scope: TenantScope;
  logger: Logger;
}

export function workContextOf(ctx: RequestContext): WorkContext {
  return { services: ctx.services, scope: tenantScope(ctx), logger: ctx.logger.child({ module: "red-packets" }) };
}
