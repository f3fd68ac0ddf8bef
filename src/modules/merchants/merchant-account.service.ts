import { randomUUID } from "node:crypto";
import { tenantScope, t, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { pageSize } from "../../graphql/relay/pagination.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { isUniqueViolation } from "../campaigns/campaign.service.js";
import { checkApiV2, checkApiV3, checkCertificateDates, type ConnectionCheck } from "./connection-test.js";
import { checkCredentials, type CredentialInput } from "./credential-checks.js";
import { fingerprint, sealSecrets, type MerchantSecrets } from "./credential-vault.js";
import type { ConnectMerchantAccountInput, MerchantCredentialsInput, SetMerchantAccountStatusInput, UpdateMerchantAccountInput } from "./merchant-account.inputs.js";
import {
  countMerchantAccounts,
  findMerchantAccountById,
  findMerchantAccountByMchid,
  insertMerchantAccount,
  listMerchantAccountRows,
  updateMerchantAccountRow,
} from "./merchant-account.repository.js";
import type { MerchantAccountRow } from "./merchant-account.table.js";
import { MerchantAccount, type MerchantConnectionTest } from "./merchant-account.type.js";
import { credentialBinding, merchantConfigOf } from "./wechatpay-gateway.js";

export interface MerchantAccountResult {
  merchantAccount: MerchantAccount | null;
  userErrors: UserError[];
}

const REAL_WECHATPAY_API = "https://api.mch.weixin.qq.com";

/** Return the endpoint for accounts that name none: configured, else the embedded simulator, else WeChat Pay. */
export function defaultApiBaseUrl(ctx: RequestContext): { apiBaseUrl: string; apiV2BaseUrl: string | null } {
  const simulator = ctx.services.simulator;
  if (ctx.services.config.wechatPayApiBaseUrl) return { apiBaseUrl: ctx.services.config.wechatPayApiBaseUrl, apiV2BaseUrl: null };
  if (simulator) return { apiBaseUrl: simulator.apiBaseUrl, apiV2BaseUrl: simulator.apiV2BaseUrl };
  return { apiBaseUrl: REAL_WECHATPAY_API, apiV2BaseUrl: null };
}

export async function getMerchantAccountRowOrThrow(scope: TenantScope, globalId: string, field = "merchantAccountId") {
  const row = await findMerchantAccountById(scope, parseGlobalId("MerchantAccount", globalId, field));
  if (!row) throw new DomainError("NOT_FOUND", "MERCHANT_ACCOUNT_NOT_FOUND", "merchant.notFound", { id: globalId }, { field });
  return row;
}

/** Throws when the account is disabled, because a disabled account issues nothing. */
export function assertMerchantEnabled(row: MerchantAccountRow): void {
  if (row.status !== "ENABLED") {
    throw new DomainError("CONFLICT", "MERCHANT_ACCOUNT_DISABLED", "merchant.disabled", { mchid: row.mchid });
  }
}

export async function getMerchantAccount(ctx: RequestContext, globalId: string): Promise<MerchantAccount | null> {
  const row = await findMerchantAccountById(tenantScope(ctx), parseGlobalId("MerchantAccount", globalId));
  return row ? MerchantAccount.fromRow(row) : null;
}

export async function listMerchantAccounts(ctx: RequestContext, first: number | null | undefined, after: string | null | undefined) {
  const scope = tenantScope(ctx);
  const size = pageSize(first);
  // Tenants connect a handful of accounts, so an offset cursor is enough here.
  const offset = after ? Number(Buffer.from(after, "base64url").toString("utf8")) || 0 : 0;
  const [rows, total] = await Promise.all([listMerchantAccountRows(scope, size + 1, offset), countMerchantAccounts(scope)]);
  const page = rows.slice(0, size);
  const edges = page.map((row, index) => ({
    cursor: Buffer.from(String(offset + index + 1)).toString("base64url"),
    node: MerchantAccount.fromRow(row),
  }));
  return {
    edges,
    totalCount: total,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export async function connectMerchantAccount(ctx: RequestContext, input: ConnectMerchantAccountInput): Promise<MerchantAccountResult> {
  const scope = tenantScope(ctx);
  const endpoint = resolveEndpoint(ctx, input.apiBaseUrl, input.apiV2BaseUrl);
  const credentialInput = toCredentialInput(input.mchid, input.officialAccountAppid, input.miniProgramAppid, input.credentials);

  const userErrors = [...endpoint.errors, ...validateCredentials(ctx, credentialInput)];
  userErrors.push(...validateName(ctx, input.name));
  if (userErrors.length > 0) return { merchantAccount: null, userErrors };

  const checked = checkCredentials(credentialInput, ctx.services.now()).checked!;
  const id = randomUUID();
  try {
    const row = await insertMerchantAccount(scope, {
      id,
      name: input.name.trim(),
      mchid: input.mchid,
      officialAccountAppid: input.officialAccountAppid,
      miniProgramAppid: input.miniProgramAppid ?? null,
      apiBaseUrl: endpoint.apiBaseUrl,
      apiV2BaseUrl: endpoint.apiV2BaseUrl,
      smallRedPacketEnabled: input.smallRedPacketEnabled ?? false,
      payoutChannel: input.payoutChannel ?? "CASH_RED_PACKET",
      transferSceneId: input.transferSceneId ?? null,
      ...credentialColumns(ctx, { tenantId: scope.tenantId, id }, input.credentials, checked),
    });
    ctx.logger.info({ module: "merchants", merchantAccountId: row.id, mchid: row.mchid }, "merchant account connected");
    return { merchantAccount: MerchantAccount.fromRow(row), userErrors: [] };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return {
      merchantAccount: null,
      userErrors: [userError(ctx, "MCHID_TAKEN", "merchant.mchidTaken", { mchid: input.mchid }, ["mchid"])],
    };
  }
}

export async function updateMerchantAccount(ctx: RequestContext, input: UpdateMerchantAccountInput): Promise<MerchantAccountResult> {
  const scope = tenantScope(ctx);
  const existing = await getMerchantAccountRowOrThrow(scope, input.id, "id");

  const changes: Parameters<typeof updateMerchantAccountRow>[2] = {};
  if (input.name !== undefined && input.name !== null) {
    const nameErrors = validateName(ctx, input.name);
    if (nameErrors.length > 0) return { merchantAccount: null, userErrors: nameErrors };
    changes.name = input.name.trim();
  }
  if (input.smallRedPacketEnabled !== undefined && input.smallRedPacketEnabled !== null) changes.smallRedPacketEnabled = input.smallRedPacketEnabled;
  if (input.payoutChannel) changes.payoutChannel = input.payoutChannel;
  if (input.transferSceneId !== undefined) changes.transferSceneId = input.transferSceneId;

  if (input.credentials) {
    const credentialInput = toCredentialInput(existing.mchid, existing.officialAccountAppid, existing.miniProgramAppid, input.credentials);
    const userErrors = validateCredentials(ctx, credentialInput, ["credentials"]);
    if (userErrors.length > 0) return { merchantAccount: null, userErrors };
    const checked = checkCredentials(credentialInput, ctx.services.now()).checked!;
    Object.assign(changes, credentialColumns(ctx, existing, input.credentials, checked));
    ctx.logger.info({ module: "merchants", merchantAccountId: existing.id }, "merchant credentials replaced");
  }

  const row = await updateMerchantAccountRow(scope, existing.id, changes);
  return { merchantAccount: MerchantAccount.fromRow(row!), userErrors: [] };
}

export async function setMerchantAccountStatus(ctx: RequestContext, input: SetMerchantAccountStatusInput): Promise<MerchantAccountResult> {
  const scope = tenantScope(ctx);
  const existing = await getMerchantAccountRowOrThrow(scope, input.id, "id");
  const row = await updateMerchantAccountRow(scope, existing.id, { status: input.status });
  ctx.logger.info({ module: "merchants", merchantAccountId: existing.id, status: input.status }, "merchant account status changed");
  return { merchantAccount: MerchantAccount.fromRow(row!), userErrors: [] };
}

/** Run the certificate, APIv3 and (for cash red packets) APIv2 checks with real calls and record the result. */
export async function testMerchantConnection(ctx: RequestContext, globalId: string): Promise<MerchantConnectionTest> {
  const scope = tenantScope(ctx);
  const row = await getMerchantAccountRowOrThrow(scope, globalId, "id");
  const started = performance.now();
  const now = ctx.services.now();

  const client = ctx.services.wechatPay.temporaryClient(merchantConfigOf(row, ctx.services.secretsKey));
  const checks: ConnectionCheck[] = [checkCertificateDates(row.merchantSerialNo, row.merchantCertificateExpiresAt, now)];
  try {
    checks.push(
      await checkApiV3(client, {
        usesPublicKey: row.wechatPayPublicKeyId !== null,
        apiBaseUrl: row.apiBaseUrl,
        couponNotifyUrl: `${ctx.services.publicBaseUrl()}/wechatpay/notify/coupon/${row.id}`,
      }),
    );
    if (row.payoutChannel === "CASH_RED_PACKET") {
      checks.push(await checkApiV2(client, row.mchid, row.officialAccountAppid, row.apiV2BaseUrl ?? row.apiBaseUrl));
    }
  } finally {
    client.close();
  }

  const ok = checks.every((check) => check.ok);
  await updateMerchantAccountRow(scope, row.id, { lastConnectionTestAt: now, lastConnectionTestOk: ok });
  ctx.logger.info({ module: "merchants", merchantAccountId: row.id, ok, failed: checks.filter((check) => !check.ok).map((check) => check.name) }, "merchant connection tested");

  return {
    ok,
    checks: checks.map((check) => ({ name: check.name, ok: check.ok, message: t(ctx, check.key, check.params) })),
    durationMs: Math.round(performance.now() - started),
  };
}

const MAX_NAME_LENGTH = 100;

function validateName(ctx: RequestContext, name: string): UserError[] {
  const trimmed = name.trim();
  if (trimmed === "") return [userError(ctx, "REQUIRED", "validation.required", { field: "name" }, ["name"])];
  if (trimmed.length > MAX_NAME_LENGTH) {
    return [userError(ctx, "TOO_LONG", "validation.tooLong", { field: "name", max: MAX_NAME_LENGTH, length: trimmed.length }, ["name"])];
  }
  return [];
}

function toCredentialInput(
  mchid: string,
  officialAccountAppid: string,
  miniProgramAppid: string | null | undefined,
  credentials: MerchantCredentialsInput,
): CredentialInput {
  return { mchid, officialAccountAppid, miniProgramAppid, ...credentials };
}

function validateCredentials(ctx: RequestContext, input: CredentialInput, pathPrefix: string[] = []): UserError[] {
  // Platform certificates are optional: like the official SDKs, the client downloads them from
  // /v3/certificates and trusts them because only the holder of the APIv3 key can decrypt them.
  const { problems } = checkCredentials(input, ctx.services.now());
  return problems.map((problem) => {
    const inCredentials = !["mchid", "officialAccountAppid", "miniProgramAppid"].includes(problem.field);
    const path = [...pathPrefix, ...(inCredentials && pathPrefix.length === 0 ? ["credentials"] : []), ...problem.field.split(".")];
    return userError(ctx, problem.code, problem.key, problem.params, path);
  });
}

function resolveEndpoint(ctx: RequestContext, apiBaseUrl: string | null | undefined, apiV2BaseUrl: string | null | undefined) {
  const defaults = defaultApiBaseUrl(ctx);
  const errors: UserError[] = [];
  const check = (field: string, value: string | null | undefined) => {
    if (!value) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("scheme");
      return value.replace(/\/+$/, "");
    } catch {
      errors.push(userError(ctx, "INVALID_ENDPOINT", "merchant.invalidEndpoint", { field, value }, [field]));
      return undefined;
    }
  };
  const v3 = check("apiBaseUrl", apiBaseUrl);
  const v2 = check("apiV2BaseUrl", apiV2BaseUrl);
  return {
    errors,
    apiBaseUrl: v3 ?? defaults.apiBaseUrl,
    apiV2BaseUrl: v2 ?? (v3 ? null : defaults.apiV2BaseUrl),
  };
}

function credentialColumns(
  ctx: RequestContext,
  owner: { tenantId: string; id: string },
  credentials: MerchantCredentialsInput,
  checked: NonNullable<ReturnType<typeof checkCredentials>["checked"]>,
) {
  const secrets: MerchantSecrets = {
    apiV3Key: credentials.apiV3Key,
    apiV2Key: credentials.apiV2Key,
    merchantPrivateKeyPem: credentials.merchantPrivateKeyPem,
    merchantCertificatePem: credentials.merchantCertificatePem,
    ...(credentials.wechatPayPublicKeyPem ? { wechatPayPublicKeyPem: credentials.wechatPayPublicKeyPem } : {}),
    ...(credentials.platformCertificatePems?.length ? { platformCertificatePems: credentials.platformCertificatePems } : {}),
    ...(credentials.tlsCaPem ? { tlsCaPem: credentials.tlsCaPem } : {}),
  };
  return {
    encryptedCredentials: sealSecrets(ctx.services.secretsKey, secrets, credentialBinding(owner)),
    merchantSerialNo: checked.merchantSerialNo,
    merchantCertificateExpiresAt: checked.certificateExpiresAt,
    apiV3KeyFingerprint: fingerprint(credentials.apiV3Key),
    apiV2KeyFingerprint: fingerprint(credentials.apiV2Key),
    privateKeyFingerprint: fingerprint(credentials.merchantPrivateKeyPem.replace(/\s+/g, "")),
    wechatPayPublicKeyId: credentials.wechatPayPublicKeyId ?? null,
    platformCertificates: checked.platformCertificates,
  };
}
