import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/** How long a download link works after it is handed out. */
export const DOWNLOAD_LINK_TTL_MS = 15 * 60_000;

/** Derive the HMAC key for download links from SECRETS_KEY, so that it needs no setting of its own. */
function linkKey(secretsKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", secretsKey, Buffer.alloc(0), "order-export-download-link", 32));
}

function signatureOf(secretsKey: Buffer, tenantId: string, exportId: string, expires: number): string {
  return createHmac("sha256", linkKey(secretsKey)).update(`${tenantId}\n${exportId}\n${expires}`).digest("base64url");
}

/**
 * Sign a path for downloading an export, bound to the tenant and the export and valid until `expiresAt`
 * (whole seconds). The download still needs a bearer token of the same tenant.
 */
export function signDownloadPath(secretsKey: Buffer, tenantId: string, exportId: string, now: Date): { path: string; expiresAt: Date } {
  const expires = Math.floor((now.getTime() + DOWNLOAD_LINK_TTL_MS) / 1000);
  const signature = signatureOf(secretsKey, tenantId, exportId, expires);
  return { path: `/exports/orders/${exportId}?expires=${expires}&signature=${signature}`, expiresAt: new Date(expires * 1000) };
}

export type LinkCheck = "VALID" | "EXPIRED" | "INVALID";

/** Check a link's signature for the caller's tenant before its expiry, comparing in constant time. */
export function checkDownloadLink(
  secretsKey: Buffer,
  link: { tenantId: string; exportId: string; expires: string | undefined; signature: string | undefined },
  now: Date,
): LinkCheck {
  if (!link.expires || !/^\d{1,12}$/.test(link.expires) || !link.signature) return "INVALID";

  const expected = Buffer.from(signatureOf(secretsKey, link.tenantId, link.exportId, Number(link.expires)));
  const given = Buffer.from(link.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "INVALID";
  return Number(link.expires) * 1000 <= now.getTime() ? "EXPIRED" : "VALID";
}
