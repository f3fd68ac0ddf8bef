import { createPubSub } from "@graphql-yoga/subscription";

/**
 * Topics and their payloads. Publishing happens only after the transaction that produced the change has
 * committed, so a subscriber never sees a count the database does not hold.
 */
export interface Topics {
  [key: string]: [unknown] | [string | number, unknown];
  CAMPAIGN_UPDATED: [campaignId: string, payload: { tenantId: string; campaignId: string }];
}

export type AppPubSub = ReturnType<typeof createAppPubSub>;

export function createAppPubSub() {
  return createPubSub<Topics>();
}
