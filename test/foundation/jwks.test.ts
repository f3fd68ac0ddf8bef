import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { createTokenVerifier } from "../../src/auth/token-verifier.js";
import { DomainError } from "../../src/graphql/errors.js";

/** A loopback identity provider whose key set the test rotates. */
let keys: JWK[] = [];
let fetches = 0;
const server = http.createServer((_request, response) => {
  fetches++;
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify({ keys }));
});
let jwksUrl = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

function sign(privateKey: CryptoKey, kid: string) {
  return new SignJWT({ tenant_id: "jwks-tenant", roles: ["analyst"] })
    .setProtectedHeader({ alg: "RS256", kid })
    .setSubject("someone")
    .setIssuer("https://idp.test")
    .setAudience("merchant-center-bff")
    .setExpirationTime("5m")
    .sign(privateKey);
}

describe("JWKS verification", () => {
  it("caches the key set and follows a key rotation", async () => {
    const first = await keyPair("key-1");
    keys = [first.jwk];
    // No cooldown, so the refetch after the rotation happens at once instead of after 30 s.
    const verifier = await createTokenVerifier({
      keySource: { kind: "jwks", url: jwksUrl, cooldownMs: 0 },
      issuer: "https://idp.test",
      audience: "merchant-center-bff",
      clockToleranceSeconds: 5,
    });

    expect((await verifier.verify(await sign(first.privateKey, "key-1"))).tenantId).toBe("jwks-tenant");
    await verifier.verify(await sign(first.privateKey, "key-1"));
    expect(fetches).toBe(1);

    // The provider publishes a new key; a token naming it makes the verifier refetch once.
    const second = await keyPair("key-2");
    keys = [first.jwk, second.jwk];
    const actor = await verifier.verify(await sign(second.privateKey, "key-2"));
    expect(actor.tenantId).toBe("jwks-tenant");
    expect(fetches).toBe(2);
  });

  it("rejects a token signed by a key outside the set", async () => {
    const known = await keyPair("known");
    const stranger = await keyPair("known");
    keys = [known.jwk];
    const verifier = await createTokenVerifier({
      keySource: { kind: "jwks", url: jwksUrl },
      issuer: "https://idp.test",
      audience: "merchant-center-bff",
      clockToleranceSeconds: 5,
    });
    const error = await verifier.verify(await sign(stranger.privateKey, "known")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).category).toBe("UNAUTHENTICATED");
  });
});
