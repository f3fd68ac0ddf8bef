import type { AppServices } from "../../app/services.js";
import { TenantScope } from "../../db/tenant-scope.js";
import { findCustomersByIds } from "../customers/customer.repository.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import { findBatchById, findUnsettledGrants } from "./voucher.repository.js";
import { resumeGrant } from "./voucher-issuer.js";

/** How long a grant may stay PENDING or UNKNOWN before the sweep takes it over, in ms. */
export const UNSETTLED_GRANT_AGE_MS = 30_000;

/**
 * Settle grants left open by a crash or by answers that stayed unknown: send each again with its stored
 * out_request_no, for which WeChat Pay returns the voucher it already sent, if it sent one.
 */
export async function resumeUnsettledGrants(services: AppServices, olderThanMs = UNSETTLED_GRANT_AGE_MS): Promise<number> {
  const grants = await findUnsettledGrants(services.db, new Date(services.now().getTime() - olderThanMs), 100);
  let settled = 0;

  for (const grant of grants) {
    const scope = new TenantScope(grant.tenantId, services.db);
    const batch = await findBatchById(scope, grant.batchId);
    const account = batch ? await findMerchantAccountById(scope, batch.merchantAccountId) : undefined;
    const [customer] = await findCustomersByIds(scope, [grant.customerId]);
    if (!batch || !account || !customer) continue;

    const logger = services.logger.child({ module: "vouchers", grantId: grant.id });
    const outcome = await resumeGrant({ services, scope, logger }, { batch, account, customer, source: grant.source, requestKey: grant.requestKey }, grant);
    if (outcome.status !== "PENDING") settled++;
    logger.info({ outcome: outcome.status }, "open voucher grant resumed");
  }
  return settled;
}
