import { SignJWT } from "jose";
import type { Role } from "../../src/auth/actor.js";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-signing!";
export const TEST_ISSUER = "merchant-center-test";
export const TEST_AUDIENCE = "merchant-center-bff";

export interface TokenOptions {
  tenant?: string;
  roles?: Role[];
  subject?: string;
  appid?: string;
  openid?: string;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  notBefore?: number;
  secret?: string;
}

export async function signTestToken(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    tenant_id: options.tenant ?? "tenant-a",
    roles: options.roles ?? ["marketer"],
    ...(options.appid ? { appid: options.appid } : {}),
    ...(options.openid ? { openid: options.openid } : {}),
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(options.subject ?? "user-1")
    .setIssuer(options.issuer ?? TEST_ISSUER)
    .setAudience(options.audience ?? TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(now + (options.expiresIn ?? 3600));
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** A token whose header says alg "none" and that carries no signature. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`;
}
