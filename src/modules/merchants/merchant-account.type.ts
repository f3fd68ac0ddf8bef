import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { Node } from "../../graphql/relay/node.js";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { MerchantAccountRow, MerchantAccountStatus, PayoutChannel } from "./merchant-account.table.js";

export const MerchantAccountStatusEnum = { ENABLED: "ENABLED", DISABLED: "DISABLED" } as const;
registerEnumType(MerchantAccountStatusEnum, { name: "MerchantAccountStatus" });

export const PayoutChannelEnum = { CASH_RED_PACKET: "CASH_RED_PACKET", MERCHANT_TRANSFER: "MERCHANT_TRANSFER" } as const;
registerEnumType(PayoutChannelEnum, {
  name: "PayoutChannel",
  description: "How red packets are paid: APIv2 cash red packets, or APIv3 merchant transfers for merchants without them.",
});

@ObjectType({ description: "A platform certificate given when the account was connected." })
export class PlatformCertificateInfo {
  @Field(() => String)
  serialNo!: string;

  @Field(() => DateTimeResolver)
  expiresAt!: Date;
}

@ObjectType({ description: "What WeChat Pay has enabled for the account." })
export class MerchantCapabilities {
  @Field(() => Boolean, { description: "Red packets below 1 yuan, which WeChat Pay grants separately." })
  smallRedPacket!: boolean;

  @Field(() => PayoutChannelEnum)
  payoutChannel!: PayoutChannel;

  @Field(() => String, { nullable: true, description: "Merchant-transfer scene id (转账场景) for marketing payouts." })
  transferSceneId!: string | null;
}

@ObjectType({
  implements: Node,
  description: "A brand's WeChat Pay merchant account. Secrets are write-only: only fingerprints, serials and dates are shown.",
})
export class MerchantAccount extends Node {
  readonly __typename = "MerchantAccount";
  rowId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  mchid!: string;

  @Field(() => String)
  officialAccountAppid!: string;

  @Field(() => String, { nullable: true })
  miniProgramAppid!: string | null;

  @Field(() => String, { description: "WeChat Pay API endpoint the account talks to." })
  apiBaseUrl!: string;

  @Field(() => MerchantAccountStatusEnum)
  status!: MerchantAccountStatus;

  @Field(() => String, { description: "Serial of the merchant API certificate." })
  merchantSerialNo!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  merchantCertificateExpiresAt!: Date | null;

  @Field(() => String, { description: "First 16 hex characters of the APIv3 key's SHA-256." })
  apiV3KeyFingerprint!: string;

  @Field(() => String)
  apiV2KeyFingerprint!: string;

  @Field(() => String)
  privateKeyFingerprint!: string;

  @Field(() => String, { nullable: true })
  wechatPayPublicKeyId!: string | null;

  @Field(() => [PlatformCertificateInfo])
  platformCertificates!: PlatformCertificateInfo[];

  @Field(() => MerchantCapabilities)
  capabilities!: MerchantCapabilities;

  @Field(() => DateTimeResolver, { nullable: true })
  lastConnectionTestAt!: Date | null;

  @Field(() => Boolean, { nullable: true })
  lastConnectionTestOk!: boolean | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  static fromRow(row: MerchantAccountRow): MerchantAccount {
    return Object.assign(new MerchantAccount(), {
      id: toGlobalId("MerchantAccount", row.id),
      rowId: row.id,
      name: row.name,
      mchid: row.mchid,
      officialAccountAppid: row.officialAccountAppid,
      miniProgramAppid: row.miniProgramAppid,
      apiBaseUrl: row.apiBaseUrl,
      status: row.status,
      merchantSerialNo: row.merchantSerialNo,
      merchantCertificateExpiresAt: row.merchantCertificateExpiresAt,
      apiV3KeyFingerprint: row.apiV3KeyFingerprint,
      apiV2KeyFingerprint: row.apiV2KeyFingerprint,
      privateKeyFingerprint: row.privateKeyFingerprint,
      wechatPayPublicKeyId: row.wechatPayPublicKeyId,
      platformCertificates: row.platformCertificates.map((item) => ({ serialNo: item.serialNo, expiresAt: new Date(item.expiresAt) })),
      capabilities: {
        smallRedPacket: row.smallRedPacketEnabled,
        payoutChannel: row.payoutChannel,
        transferSceneId: row.transferSceneId,
      },
      lastConnectionTestAt: row.lastConnectionTestAt,
      lastConnectionTestOk: row.lastConnectionTestOk,
      createdAt: row.createdAt,
    });
  }
}

export const MerchantAccountConnection = connectionType("MerchantAccount", MerchantAccount);

@ObjectType()
export class ConnectionCheckResult {
  @Field(() => String, { description: "CERTIFICATE, API_V3 or API_V2." })
  name!: string;

  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => String)
  message!: string;
}

@ObjectType()
export class MerchantConnectionTest {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => [ConnectionCheckResult])
  checks!: ConnectionCheckResult[];

  @Field(() => Int, { description: "Time the checks took, in milliseconds." })
  durationMs!: number;
}
