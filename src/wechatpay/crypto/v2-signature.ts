import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export type V2SignType = "MD5" | "HMAC-SHA256";

/** Orders by UTF-16 code units, which is ASCII order for WeChat Pay's field names; localeCompare is not. */
function compareAscii(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function signTypeOfLength(length: number): V2SignType | undefined {
  if (length === 32) return "MD5";
  if (length === 64) return "HMAC-SHA256";
  return undefined;
}

/** Joins the non-empty fields except `sign` as `k=v&…` in ASCII order of the names, values unencoded. */
export function buildV2SignString(fields: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(fields)
    .filter((name) => name !== "sign" && fields[name] !== undefined && fields[name] !== "")
    .sort(compareAscii)
    .map((name) => `${name}=${fields[name]}`)
    .join("&");
}

/** Computes the APIv2 `sign`: upper-case hex of MD5 or HMAC-SHA256 over the sign string plus `&key=`. */
export function signV2(
  fields: Readonly<Record<string, string | undefined>>,
  apiV2Key: string,
  signType: V2SignType,
): string {
  const input = `${buildV2SignString(fields)}&key=${apiV2Key}`;
  const digest =
    signType === "MD5"
      ? createHash("md5").update(input, "utf8").digest("hex")
      : createHmac("sha256", apiV2Key).update(input, "utf8").digest("hex");
  return digest.toUpperCase();
}

/**
 * Checks the `sign` field of a signed APIv2 message. The type is taken from the length (32 → MD5,
 * 64 → HMAC-SHA256) because WeChat Pay may sign a notification with another type than the request used.
 */
export function verifyV2Signature(fields: Readonly<Record<string, string | undefined>>, apiV2Key: string): boolean {
  const received = fields.sign;
  if (received === undefined) return false;

  const signType = signTypeOfLength(received.length);
  if (signType === undefined) return false;

  const expected = Buffer.from(signV2(fields, apiV2Key, signType), "utf8");
  const actual = Buffer.from(received.toUpperCase(), "utf8");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
