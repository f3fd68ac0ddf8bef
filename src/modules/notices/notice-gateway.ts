import { createHmac } from "node:crypto";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { FailureNoticeRow } from "./failure-notice.table.js";

/** Time a gateway may take to respond to one notice, in ms. */
const GATEWAY_TIMEOUT_MS = 5_000;

/**
 * Outcome of one gateway request. A 2xx response means sent and a 4xx means rejected for good, because
 * the gateway would reject the same notice again. A 5xx, a timeout or a network error is retryable.
 */
export type GatewayOutcome = { kind: "sent" } | { kind: "rejected"; reason: string } | { kind: "retryable"; reason: string };

export interface GatewayTarget {
  endpointUrl: string;
  templateId: string | null;
  signingSecret: string;
}

/** Build the JSON body a tenant's gateway receives for one notice. Its ids are the API's global ids. */
export function noticeRequestBody(notice: FailureNoticeRow, templateId: string | null): string {
  return JSON.stringify({
    noticeId: toGlobalId("FailureNotice", notice.id),
    channel: notice.channel,
    ...(notice.channel === "TEMPLATE_MESSAGE" && templateId ? { templateId } : {}),
    recipient: { openid: notice.openid, appid: notice.appid, mobile: notice.mobile },
    text: notice.text,
    redPacketId: toGlobalId("RedPacket", notice.redPacketId),
    grantId: toGlobalId("RedPacketGrant", notice.grantId),
  });
}

/** Sign "<timestamp>.<body>" with hex HMAC-SHA256. The timestamp lets the gateway reject replayed requests. */
export function noticeSignature(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** POST one notice to the tenant's gateway and classify the response; network failures and timeouts come back as retryable. */
export async function postNotice(target: GatewayTarget, notice: FailureNoticeRow, now: Date): Promise<GatewayOutcome> {
  const body = noticeRequestBody(notice, target.templateId);
  const timestamp = String(Math.floor(now.getTime() / 1000));

  let status: number;
  try {
    const response = await fetch(target.endpointUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-notice-timestamp": timestamp,
        "x-notice-signature": noticeSignature(target.signingSecret, timestamp, body),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "GATEWAY_TIMEOUT" : "GATEWAY_UNREACHABLE";
    return { kind: "retryable", reason };
  }

  if (status >= 200 && status < 300) return { kind: "sent" };
  if (status >= 400 && status < 500) return { kind: "rejected", reason: `GATEWAY_HTTP_${status}` };
  return { kind: "retryable", reason: `GATEWAY_HTTP_${status}` };
}
