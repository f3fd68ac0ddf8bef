import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import { fingerprint } from "../merchants/credential-vault.js";
import { listNoticeChannelSettings, upsertNoticeChannelSetting } from "./notice-channel.repository.js";
import { NoticeChannelSetting, type SetNoticeChannelInput, type SetNoticeChannelPayload } from "./notice-channel.type.js";
import { signingSecretBinding } from "./notice-delivery.js";
import { sealText } from "./sealed-text.js";

/** Shortest signing secret accepted, in characters. */
const MIN_SECRET_LENGTH = 16;
const MAX_SECRET_LENGTH = 256;
const MAX_URL_LENGTH = 2_000;
const MAX_TEMPLATE_ID_LENGTH = 128;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** Accept https, or http on a loopback address (a gateway on the same host), and no credentials in the URL. */
function isAcceptableEndpoint(value: string): boolean {
  if (value.length > MAX_URL_LENGTH || !URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username || url.password) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

function validate(ctx: RequestContext, input: SetNoticeChannelInput): UserError[] {
  const errors: UserError[] = [];
  const templateId = input.templateId?.trim() ?? "";

  if (!isAcceptableEndpoint(input.endpointUrl)) {
    errors.push(userError(ctx, "INVALID_ENDPOINT_URL", "notice.endpointUrlInvalid", { field: "endpointUrl", value: input.endpointUrl }, ["input", "endpointUrl"]));
  }
  if (input.channel === "TEMPLATE_MESSAGE" && !templateId) {
    errors.push(userError(ctx, "TEMPLATE_ID_REQUIRED", "notice.templateIdRequired", { field: "templateId" }, ["input", "templateId"]));
  }
  if (templateId.length > MAX_TEMPLATE_ID_LENGTH) {
    errors.push(userError(ctx, "TOO_LONG", "validation.tooLong", { field: "templateId", max: MAX_TEMPLATE_ID_LENGTH, length: templateId.length }, ["input", "templateId"]));
  }
  if (input.signingSecret.length < MIN_SECRET_LENGTH) {
    errors.push(userError(ctx, "SECRET_TOO_SHORT", "notice.secretTooShort", { field: "signingSecret", min: MIN_SECRET_LENGTH, length: input.signingSecret.length }, ["input", "signingSecret"]));
  }
  if (input.signingSecret.length > MAX_SECRET_LENGTH) {
    errors.push(userError(ctx, "TOO_LONG", "validation.tooLong", { field: "signingSecret", max: MAX_SECRET_LENGTH, length: input.signingSecret.length }, ["input", "signingSecret"]));
  }
  return errors;
}

/** Create or replace the tenant's gateway for one channel. The secret is sealed before it is stored. */
export async function setNoticeChannel(ctx: RequestContext, input: SetNoticeChannelInput): Promise<SetNoticeChannelPayload> {
  const userErrors = validate(ctx, input);
  if (userErrors.length > 0) return { noticeChannel: null, userErrors };

  const scope = tenantScope(ctx);
  const templateId = input.channel === "TEMPLATE_MESSAGE" ? input.templateId!.trim() : null;
  const row = await upsertNoticeChannelSetting(scope, {
    channel: input.channel,
    endpointUrl: input.endpointUrl,
    templateId,
    sealedSecret: sealText(ctx.services.secretsKey, input.signingSecret, signingSecretBinding(scope.tenantId, input.channel)),
    secretFingerprint: fingerprint(input.signingSecret),
    enabled: input.enabled,
  });

  ctx.logger.info({ module: "notices", channel: row.channel, enabled: row.enabled, secretFingerprint: row.secretFingerprint }, "notice channel set");
  return { noticeChannel: NoticeChannelSetting.fromRow(row), userErrors: [] };
}

/** List the tenant's gateways without their secrets. */
export async function listNoticeChannels(ctx: RequestContext): Promise<NoticeChannelSetting[]> {
  const rows = await listNoticeChannelSettings(tenantScope(ctx));
  return rows.map(NoticeChannelSetting.fromRow);
}
