/** How many red packets and vouchers a campaign has issued, as counted from its customer events. */
export interface IssuanceCounts {
  redPacketsIssued: number;
  /** Sum of issued red packets, in fen. */
  redPacketAmountIssued: number;
  redPacketsFailed: number;
  redPacketsRefunded: number;
  vouchersIssued: number;
  vouchersCollected: number;
  vouchersRedeemed: number;
}

/** Payload of CAMPAIGN_ISSUANCE_UPDATED: plain JSON, so it can cross instances through Redis. */
export interface CampaignIssuancePayload {
  tenantId: string;
  /** Row id of the campaign. */
  campaignId: string;
  counts: IssuanceCounts;
  /**
   * Number of counted events the counts were read from. Events are only ever added, so of two payloads
   * the one with the larger version is newer, whichever instance published it.
   */
  version: number;
  /** ISO time at which the counts were read. */
  countedAt: string;
}

/** Compute the version of a set of counts: every counted event adds one, and nothing ever subtracts. */
export function issuanceVersion(counts: IssuanceCounts): number {
  return (
    counts.redPacketsIssued +
    counts.redPacketsFailed +
    counts.redPacketsRefunded +
    counts.vouchersIssued +
    counts.vouchersCollected +
    counts.vouchersRedeemed
  );
}
