import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError, GraphQLClient } from "graphql-request";
import { ViewerDocument, CreateCampaignDocument } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { signTestToken, unsignedToken, TEST_AUDIENCE, TEST_ISSUER } from "../support/tokens.js";

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp();
});

afterAll(async () => {
  await test?.stop();
});

async function viewerWith(authorization: string | undefined) {
  const client = new GraphQLClient(test.graphqlUrl, { headers: authorization ? { authorization } : {} });
  try {
    await client.request(ViewerDocument);
  } catch (error) {
    if (error instanceof ClientError) return error.response;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("authentication", () => {
  it("accepts a valid token", async () => {
    const client = await test.client({ tenant: "tenant-a", roles: ["analyst"], subject: "ana" });
    const { viewer } = await client.request(ViewerDocument);
    expect(viewer).toEqual({ tenantId: "tenant-a", subject: "ana", roles: ["analyst"] });
  });

  const cases: [string, () => Promise<string | undefined>, string][] = [
    ["missing token", async () => undefined, "MISSING_TOKEN"],
    ["malformed token", async () => "Bearer not.a.jwt", "INVALID_TOKEN"],
    ["non-bearer scheme", async () => "Basic dXNlcjpwYXNz", "INVALID_TOKEN"],
    ["expired token", async () => `Bearer ${await signTestToken({ expiresIn: -3600 })}`, "TOKEN_EXPIRED"],
    ["not yet valid token", async () => `Bearer ${await signTestToken({ notBefore: 3600 })}`, "INVALID_TOKEN"],
    ["wrong issuer", async () => `Bearer ${await signTestToken({ issuer: "someone-else" })}`, "INVALID_TOKEN"],
    ["wrong audience", async () => `Bearer ${await signTestToken({ audience: "another-api" })}`, "INVALID_TOKEN"],
    ["wrong signature", async () => `Bearer ${await signTestToken({ secret: "x".repeat(48) })}`, "INVALID_TOKEN"],
    [
      "alg none",
      async () =>
        `Bearer ${unsignedToken({
          sub: "intruder",
          tenant_id: "tenant-a",
          roles: ["admin"],
          iss: TEST_ISSUER,
          aud: TEST_AUDIENCE,
          exp: Math.floor(Date.now() / 1000) + 3600,
        })}`,
      "INVALID_TOKEN",
    ],
    ["unknown role", async () => `Bearer ${await signTestToken({ roles: ["root" as never] })}`, "INVALID_TOKEN"],
    ["customer without openid", async () => `Bearer ${await signTestToken({ roles: ["customer"] })}`, "INVALID_TOKEN"],
  ];

  for (const [name, header, reason] of cases) {
    it(`rejects ${name} as UNAUTHENTICATED`, async () => {
      const response = await viewerWith(await header());
      const [error] = response.errors ?? [];
      expect(error?.extensions?.["code"]).toBe("UNAUTHENTICATED");
      expect(error?.extensions?.["reason"]).toBe(reason);
      expect(response.data ?? null).toBeNull();
    });
  }

  it("answers an invalid token with HTTP 401", async () => {
    const response = await fetch(test.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer broken" },
      body: JSON.stringify({ query: "{ viewer { tenantId } }" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
  });
});

describe("authorization", () => {
  it("rejects a role without permission as FORBIDDEN", async () => {
    const client = await test.client({ roles: ["analyst"] });
    const error = await client
      .request(CreateCampaignDocument, { input: { name: "春节" } })
      .catch((caught: ClientError) => caught);
    expect(error).toBeInstanceOf(ClientError);
    const [first] = (error as ClientError).response.errors ?? [];
    expect(first?.extensions?.["code"]).toBe("FORBIDDEN");
    expect(first?.message).toContain("Mutation.createCampaign");
  });

  it("lets a customer see only customer fields", async () => {
    const client = await test.client({ roles: ["customer"], appid: "wx123", openid: "o-abc" });
    const { viewer } = await client.request(ViewerDocument);
    expect(viewer.roles).toEqual(["customer"]);
    const error = await client
      .request(CreateCampaignDocument, { input: { name: "x" } })
      .catch((caught: ClientError) => caught);
    expect((error as ClientError).response.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });
});

describe("localized errors", () => {
  it("answers in Chinese for Accept-Language zh-CN", async () => {
    const client = new GraphQLClient(test.graphqlUrl, { headers: { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" } });
    const error = (await client.request(ViewerDocument).catch((caught: ClientError) => caught)) as ClientError;
    expect(error.response.errors?.[0]?.message).toBe("需要身份验证：请在 Authorization 请求头中携带 Bearer 令牌。");
  });

  it("answers in English by default", async () => {
    const client = new GraphQLClient(test.graphqlUrl);
    const error = (await client.request(ViewerDocument).catch((caught: ClientError) => caught)) as ClientError;
    expect(error.response.errors?.[0]?.message).toMatch(/^Authentication required/);
  });
});
