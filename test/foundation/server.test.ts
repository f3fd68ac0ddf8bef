import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverAudits } from "graphql-http";
import { buildAppSchema, printAppSchema } from "../../src/graphql/schema.js";
import { createAppPubSub } from "../../src/realtime/pubsub.js";
import { loadConfig } from "../../src/config/config.js";
import { ConfigError } from "../../src/config/environment.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { signTestToken } from "../support/tokens.js";

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp();
});

afterAll(async () => {
  await test?.stop();
});

describe("health endpoints", () => {
  it("healthz answers ok", async () => {
    const response = await fetch(`${test.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("readyz reports the migrated database", async () => {
    const response = await fetch(`${test.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready", database: "ok" });
  });
});

describe("schema", () => {
  it("matches the committed SDL", async () => {
    const sdl = printAppSchema(await buildAppSchema(createAppPubSub()));
    const committed = readFileSync(new URL("../../schema/schema.graphql", import.meta.url), "utf8");
    expect(sdl, "schema drift: run `npm run schema` and commit schema/schema.graphql").toBe(committed);
  });
});

describe("GraphQL over HTTP", () => {
  it("passes every MUST audit of graphql-http", async () => {
    const token = await signTestToken({ roles: ["analyst"] });
    const audits = serverAudits({
      url: test.graphqlUrl,
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set("authorization", `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
    });

    const failures: string[] = [];
    for (const audit of audits) {
      if (!audit.name.startsWith("MUST")) continue;
      const result = await audit.fn();
      if (result.status !== "ok") failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });

  it("blocks a simple GET as a possible CSRF", async () => {
    const response = await fetch(`${test.graphqlUrl}?query=${encodeURIComponent("{ __typename }")}`);
    expect(response.status).toBe(400);
  });

  it("serves queries over GET with a preflight header", async () => {
    const response = await fetch(`${test.graphqlUrl}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { "apollo-require-preflight": "true", accept: "application/json" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("rejects a query nested too deeply", async () => {
    let query = "__typename";
    for (let level = 0; level < 20; level++) query = `node(id: "x") { ${query} }`;
    const response = await fetch(test.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ ${query} }` }),
    });
    const body = (await response.json()) as { errors: { extensions: { reason: string } }[] };
    expect(body.errors[0]?.extensions.reason).toBe("QUERY_TOO_DEEP");
  });
});

describe("configuration", () => {
  it("names each invalid variable and its fix", () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", DEFAULT_TIME_ZONE: "Mars/Olympus", SECRETS_KEY: "short" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join("\n");
    expect(problems).toContain('PORT: invalid value "eighty"; use a whole number from 0 to 65535');
    expect(problems).toContain('DATABASE_URL: unsupported scheme "mysql:"');
    expect(problems).toContain('DEFAULT_TIME_ZONE: unknown time zone "Mars/Olympus"');
    expect(problems).toContain("SECRETS_KEY: expected 32 random bytes in base64");
  });

  it("stops start-up on a bad value", () => {
    const result = spawnSync(
      process.execPath,
      ["--import", "@swc-node/register/esm-register", "src/index.ts"],
      { env: { ...process.env, PORT: "-1", LOG_LEVEL: "silent" }, encoding: "utf8", timeout: 30_000 },
    );
    expect(result.status).toBe(78);
    expect(result.stderr).toContain("PORT: invalid value");
  });

  it("applies documented defaults", () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: "pglite", dataDir: ".data/pglite" });
    expect(config.defaultTimeZone).toBe("Asia/Shanghai");
    expect(config.jwt.keySource).toEqual({ kind: "embeddedSecret" });
  });
});

describe("request guards", () => {
  it("answers malformed JSON with a JSON error", async () => {
    const response = await fetch(test.graphqlUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(body)).not.toMatch(/node_modules|at .*\(/);
  });

  it("rejects a NUL character as bad input", async () => {
    const response = await fetch(test.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await signTestToken()}`, "accept-language": "zh-CN" },
      body: JSON.stringify({ query: "mutation($name: String!) { createCampaign(input: { name: $name }) { campaign { id } } }", variables: { name: "a\u0000b" } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { reason: string } }[] };
    expect(body.errors[0]?.extensions.reason).toBe("NUL_CHARACTER");
    expect(body.errors[0]?.message).toMatch(/^文本中不能包含 NUL 字符/);
  });
});

describe("Fen scalar", () => {
  it("rejects a fractional amount in the caller's language", async () => {
    const response = await fetch(test.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await signTestToken()}`, "accept-language": "zh-CN" },
      body: JSON.stringify({
        query: "mutation($price: Fen!) { createProduct(input: { merchantAccountId: \"x\", name: \"茶\", price: $price, stock: 1 }) { userErrors { code } } }",
        variables: { price: 12.5 },
      }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("BAD_USER_INPUT");
    expect(body.errors[0]?.message).toContain("12.5 不是以分为单位的金额");
  });
});
