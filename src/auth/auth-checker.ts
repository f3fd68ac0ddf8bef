import type { AuthChecker } from "type-graphql";
import { DomainError } from "../graphql/errors.js";
import type { RequestContext } from "../graphql/context.js";
import type { Role } from "./actor.js";

/**
 * Gate for `@Authorized(...)`: no actor means UNAUTHENTICATED; an actor without one of the listed roles
 * means FORBIDDEN. Throwing (instead of returning false) keeps our own codes and localized messages.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context, info }, allowed) => {
  const actor = context.actor;
  if (!actor) throw new DomainError("UNAUTHENTICATED", "MISSING_TOKEN", "auth.missingToken");
  if (allowed.length === 0 || allowed.some((role) => actor.roles.includes(role))) return true;

  throw new DomainError("FORBIDDEN", "ROLE_NOT_ALLOWED", "auth.forbidden", {
    roles: actor.roles.join(", "),
    field: `${info.parentType.name}.${info.fieldName}`,
    allowed: allowed.join(", "),
  });
};

/** Role sets used on fields, so the same audience is spelled the same way everywhere. */
export const Audience = {
  admin: ["admin"],
  marketing: ["admin", "marketer"],
  staffRead: ["admin", "marketer", "analyst"],
  analytics: ["admin", "marketer", "analyst"],
  service: ["service"],
  customer: ["customer"],
} as const satisfies Record<string, readonly Role[]>;
