import { Field, ID, InputType } from "type-graphql";
import { MerchantAccountStatusEnum, PayoutChannelEnum } from "./merchant-account.type.js";
import type { MerchantAccountStatus, PayoutChannel } from "./merchant-account.table.js";

@InputType({ description: "Secret credentials, accepted on connect and on replacement, never returned." })
export class MerchantCredentialsInput {
  @Field(() => String, { description: "APIv3 key (32 characters)." })
  apiV3Key!: string;

  @Field(() => String, { description: "APIv2 key (32 characters)." })
  apiV2Key!: string;

  @Field(() => String, { description: "Serial of the merchant API certificate." })
  merchantSerialNo!: string;

  @Field(() => String, { description: "apiclient_key.pem (PKCS#8)." })
  merchantPrivateKeyPem!: string;

  @Field(() => String, { description: "apiclient_cert.pem; also the client certificate for APIv2." })
  merchantCertificatePem!: string;

  @Field(() => String, { nullable: true, description: "WeChat Pay public key id, PUB_KEY_ID_…" })
  wechatPayPublicKeyId?: string | null;

  @Field(() => String, { nullable: true, description: "WeChat Pay public key (pub_key.pem)." })
  wechatPayPublicKeyPem?: string | null;

  @Field(() => [String], { nullable: true, description: "Platform certificates, for merchants not yet on the public key." })
  platformCertificatePems?: string[] | null;

  @Field(() => String, { nullable: true, description: "Extra trust anchor for the endpoint's TLS certificate; only simulators need one." })
  tlsCaPem?: string | null;
}

@InputType()
export class ConnectMerchantAccountInput {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  mchid!: string;

  @Field(() => String)
  officialAccountAppid!: string;

  @Field(() => String, { nullable: true })
  miniProgramAppid?: string | null;

  @Field(() => MerchantCredentialsInput)
  credentials!: MerchantCredentialsInput;

  @Field(() => String, { nullable: true, description: "APIv3 endpoint; defaults to the server's WeChat Pay endpoint." })
  apiBaseUrl?: string | null;

  @Field(() => String, { nullable: true, description: "APIv2 endpoint, when it differs from apiBaseUrl." })
  apiV2BaseUrl?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  smallRedPacketEnabled?: boolean;

  @Field(() => PayoutChannelEnum, { nullable: true, defaultValue: "CASH_RED_PACKET" })
  payoutChannel?: PayoutChannel;

  @Field(() => String, { nullable: true })
  transferSceneId?: string | null;
}

@InputType()
export class UpdateMerchantAccountInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Boolean, { nullable: true })
  smallRedPacketEnabled?: boolean | null;

  @Field(() => PayoutChannelEnum, { nullable: true })
  payoutChannel?: PayoutChannel | null;

  @Field(() => String, { nullable: true })
  transferSceneId?: string | null;

  @Field(() => MerchantCredentialsInput, { nullable: true, description: "Replaces every secret at once." })
  credentials?: MerchantCredentialsInput | null;
}

@InputType()
export class SetMerchantAccountStatusInput {
  @Field(() => ID)
  id!: string;

  @Field(() => MerchantAccountStatusEnum)
  status!: MerchantAccountStatus;
}
