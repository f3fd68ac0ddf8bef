import { SignJWT } from "jose";
import type { AppConfig } from "../config/config.js";
import { DEV_JWT_SECRET_FILE, loadOrCreateLocalKey } from "../config/local-secrets.js";
import type { Role } from "./actor.js";

export interface DevelopmentTokenClaims {
  tenantId: string;
  roles: Role[];
  subject?: string;
  appid?: string;
  openid?: string;
  ttlSeconds?: number;
}

/** Load the HS256 key of the configuration, or return undefined when tokens come from an identity provider. */
export function developmentSigningKey(config: AppConfig): Uint8Array | undefined {
  const source = config.jwt.keySource;
  if (source.kind === "secret") return new TextEncoder().encode(source.secret);
  if (source.kind === "embeddedSecret") return new Uint8Array(loadOrCreateLocalKey(config.dataDir, DEV_JWT_SECRET_FILE, 32));
  return undefined;
}

/** Sign a token the server accepts, for development, the demo and scripts; never for production users. */
export async function signDevelopmentToken(config: AppConfig, claims: DevelopmentTokenClaims): Promise<string> {
  const key = developmentSigningKey(config);
  if (!key) throw new Error("development tokens need an HS256 setup: no JWT_JWKS_URL or JWT_PUBLIC_KEY");

  return new SignJWT({
    tenant_id: claims.tenantId,
    roles: claims.roles,
    ...(claims.appid ? { appid: claims.appid } : {}),
    ...(claims.openid ? { openid: claims.openid } : {}),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.subject ?? `dev-${claims.roles.join("-")}`)
    .setIssuer(config.jwt.issuer)
    .setAudience(config.jwt.audience)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 86_400}s`)
    .sign(key);
}
