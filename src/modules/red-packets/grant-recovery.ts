import type { AppServices } from "../../app/services.js";
import { TenantScope } from "../../db/tenant-scope.js";
import { findDueGrants } from "./grant.repository.js";
import { resumeGrant } from "./issuing.service.js";

/** Grants one sweep takes on; the next sweep continues with the rest. */
const SWEEP_BATCH = 50;

/**
 * Finish grants left in flight: by a crash between reservation and payment, by an outcome that stayed
 * unknown, or by a postponed retry (NOTENOUGH, rate limits). Each grant whose lease ran out is
 * queried first and sent again only under its stored request number, so nothing is paid twice and
 * nothing reserved is lost. Safe to run on every instance at once: a grant's lease admits one worker.
 * Returns how many grants left RESERVED.
 */
export async function resumeDueGrants(services: AppServices): Promise<number> {
  const due = await findDueGrants(services.db, SWEEP_BATCH);
  let settled = 0;

  for (const grant of due) {
    const logger = services.logger.child({ module: "red-packets", tenantId: grant.tenantId, grantId: grant.id });
    try {
      const result = await resumeGrant({ services, scope: new TenantScope(grant.tenantId, services.db), logger }, grant);
      if (result.status !== "RESERVED") settled += 1;
    } catch (error) {
      logger.error({ err: error }, "resuming red packet grant failed; the next sweep tries again");
    }
  }
  return settled;
}
