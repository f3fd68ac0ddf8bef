import { parseArgs } from "node:util";
import { isRole, roles } from "../auth/actor.js";
import { loadConfig } from "../config/config.js";
import { developmentSigningKey, signDevelopmentToken } from "../auth/dev-token.js";

const usage = `Usage: npm run token -- --tenant <id> --role <role> [--role <role>] [--subject <id>]
                     [--appid <appid> --openid <openid>] [--ttl <seconds>]

Prints a development access token signed with the embedded secret (or JWT_SECRET when set).
Roles: ${roles.join(", ")}. A customer token also needs --appid and --openid.`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
    options: {
      tenant: { type: "string" },
      role: { type: "string", multiple: true },
      subject: { type: "string" },
      appid: { type: "string" },
      openid: { type: "string" },
      ttl: { type: "string", default: "86400" },
      help: { type: "boolean" },
    },
  });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(usage);
    return;
  }

  const requestedRoles = values.role ?? [];
  if (!values.tenant || requestedRoles.length === 0) fail("--tenant and at least one --role are required");
  const unknown = requestedRoles.filter((role) => !isRole(role));
  if (unknown.length > 0) fail(`unknown role ${unknown.join(", ")}; use ${roles.join(", ")}`);
  if (requestedRoles.includes("customer") && (!values.appid || !values.openid)) {
    fail("a customer token needs --appid and --openid");
  }
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) fail(`--ttl must be a positive number of seconds, not ${values.ttl}`);

  const config = loadConfig();
  if (!developmentSigningKey(config)) {
    fail("tokens can only be minted for HS256 setups (no JWT_JWKS_URL or JWT_PUBLIC_KEY); ask your identity provider");
  }
  const token = await signDevelopmentToken(config, {
    tenantId: values.tenant!,
    roles: requestedRoles.filter(isRole),
    ...(values.subject ? { subject: values.subject } : {}),
    ...(values.appid ? { appid: values.appid } : {}),
    ...(values.openid ? { openid: values.openid } : {}),
    ttlSeconds,
  });

  console.log(token);
}

function fail(message: string): never {
  console.error(`token: ${message}\n\n${usage}`);
  process.exit(2);
}

await main();
