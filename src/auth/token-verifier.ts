import { createRemoteJWKSet, errors as joseErrors, importSPKI, jwtVerify, type JWTPayload } from "jose";
import type { JwtConfig } from "../config/config.js";
import { DomainError } from "../graphql/errors.js";
import { isRole, type Actor } from "./actor.js";
import { StartupError } from "../app/startup-error.js";
import type { MessageKey, MessageParams } from "../i18n/messages.js";

export interface TokenVerifier {
  /** Verify a bearer token and return its actor; throws an UNAUTHENTICATED DomainError otherwise. */
  verify(token: string): Promise<Actor>;
}

type VerificationKey = Parameters<typeof jwtVerify>[1];

const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export async function createTokenVerifier(config: JwtConfig, embeddedSecret?: Buffer): Promise<TokenVerifier> {
  const { key, algorithms } = await resolveKey(config, embeddedSecret);

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms,
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: config.clockToleranceSeconds,
          requiredClaims: ["sub", "exp"],
        }));
      } catch (error) {
        throw toAuthError(error);
      }
      return actorFromClaims(payload);
    },
  };
}

async function resolveKey(
  config: JwtConfig,
  embeddedSecret: Buffer | undefined,
): Promise<{ key: VerificationKey; algorithms: string[] }> {
  const source = config.keySource;
  switch (source.kind) {
    case "jwks":
      // jose caches the key set and refetches it when a token names an unknown kid, which is how
      // issuers rotate keys. The cooldown stops a flood of unknown kids from hammering the endpoint.
      return {
        key: createRemoteJWKSet(new URL(source.url), { cooldownDuration: source.cooldownMs ?? 30_000, cacheMaxAge: 10 * 60_000 }),
        algorithms: ["RS256", "PS256", "ES256", "EdDSA"],
      };
    case "publicKey":
      try {
        return { key: await importSPKI(source.pem, source.algorithm), algorithms: [source.algorithm] };
      } catch (error) {
        throw new StartupError(
          `JWT_PUBLIC_KEY is not a ${source.algorithm} key (${(error as Error).message}); set JWT_ALGORITHM to the key's algorithm (RS256 for RSA, ES256 for P-256, EdDSA for Ed25519)`,
          { cause: error },
        );
      }
    case "secret":
      return { key: new TextEncoder().encode(source.secret), algorithms: ["HS256"] };
    case "embeddedSecret":
      if (!embeddedSecret) throw new Error("the embedded JWT secret was not loaded");
      return { key: new Uint8Array(embeddedSecret), algorithms: ["HS256"] };
  }
}

function actorFromClaims(payload: JWTPayload): Actor {
  const tenantId = payload["tenant_id"];
  if (typeof tenantId !== "string" || !TENANT_ID_PATTERN.test(tenantId)) {
    throw invalid("auth.invalid.tenant");
  }

  const claimedRoles = payload["roles"];
  if (!Array.isArray(claimedRoles) || claimedRoles.length === 0 || !claimedRoles.every(isRole)) {
    throw invalid("auth.invalid.roles");
  }

  const actor: Actor = { tenantId, subject: String(payload.sub), roles: claimedRoles };
  if (claimedRoles.includes("customer")) {
    const appid = payload["appid"];
    const openid = payload["openid"];
    if (typeof appid !== "string" || typeof openid !== "string" || appid === "" || openid === "") {
      throw invalid("auth.invalid.customer");
    }
    actor.customer = { appid, openid };
  }
  return actor;
}

function invalid(key: MessageKey, params: MessageParams = {}): DomainError {
  return new DomainError("UNAUTHENTICATED", "INVALID_TOKEN", key, params);
}

function toAuthError(error: unknown): DomainError {
  if (error instanceof joseErrors.JWTExpired) {
    return new DomainError("UNAUTHENTICATED", "TOKEN_EXPIRED", "auth.expiredToken");
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return invalid("auth.invalid.claim", { claim: error.claim });
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return invalid("auth.invalid.algorithm");
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return invalid("auth.invalid.signature");
  if (error instanceof joseErrors.JWKSNoMatchingKey) return invalid("auth.invalid.noKey");
  if (error instanceof joseErrors.JOSEError) return invalid("auth.invalid.malformed");
  throw error;
}
