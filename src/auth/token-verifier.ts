import { createRemoteJWKSet, errors as joseErrors, importSPKI, jwtVerify, type JWTPayload } from "jose";
import type { JwtConfig } from "../config/config.js";
import { DomainError } from "../graphql/errors.js";
import { isRole, type Actor } from "./actor.js";

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
      // issuers rotate keys; the cooldown stops a flood of unknown kids from hammering the endpoint.
      return {
        key: createRemoteJWKSet(new URL(source.url), { cooldownDuration: source.cooldownMs ?? 30_000, cacheMaxAge: 10 * 60_000 }),
        algorithms: ["RS256", "PS256", "ES256", "EdDSA"],
      };
    case "publicKey":
      return { key: await importSPKI(source.pem, source.algorithm), algorithms: [source.algorithm] };
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
    throw invalid("the tenant_id claim is missing or malformed");
  }

  const claimedRoles = payload["roles"];
  if (!Array.isArray(claimedRoles) || claimedRoles.length === 0 || !claimedRoles.every(isRole)) {
    throw invalid("the roles claim must list one or more of admin, marketer, analyst, service, customer");
  }

  const actor: Actor = { tenantId, subject: String(payload.sub), roles: claimedRoles };
  if (claimedRoles.includes("customer")) {
    const appid = payload["appid"];
    const openid = payload["openid"];
    if (typeof appid !== "string" || typeof openid !== "string" || appid === "" || openid === "") {
      throw invalid("a customer token needs the appid and openid claims");
    }
    actor.customer = { appid, openid };
  }
  return actor;
}

function invalid(reason: string): DomainError {
  return new DomainError("UNAUTHENTICATED", "INVALID_TOKEN", "auth.invalidToken", { reason });
}

function toAuthError(error: unknown): DomainError {
  if (error instanceof joseErrors.JWTExpired) {
    return new DomainError("UNAUTHENTICATED", "TOKEN_EXPIRED", "auth.expiredToken");
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return invalid(`claim ${error.claim} ${error.reason === "check_failed" ? "does not match" : error.reason}`);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return invalid("the signing algorithm is not allowed");
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return invalid("the signature does not verify");
  if (error instanceof joseErrors.JWKSNoMatchingKey) return invalid("no signing key matches the token");
  if (error instanceof joseErrors.JOSEError) return invalid("the token is malformed");
  throw error;
}
