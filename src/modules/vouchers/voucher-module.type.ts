import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import { FenScalar } from "../../graphql/scalars/fen.js";
import type { PopupKind, VoucherModuleRow } from "./voucher.tables.js";

export const PopupKindEnum = { MESSAGE: "MESSAGE", PICTURE: "PICTURE" } as const;
registerEnumType(PopupKindEnum, { name: "PopupKind", description: "What the page shows after a successful claim." });

@ObjectType({ description: "Settings of a coupon module on a WeChat page, as the page editor saved them." })
export class VoucherModuleSettings {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  pageId!: string;

  @Field(() => String)
  moduleKey!: string;

  @Field(() => ID)
  batchId!: string;

  @Field(() => ID, { nullable: true })
  campaignId!: string | null;

  @Field(() => PopupKindEnum)
  popupKind!: PopupKind;

  @Field(() => String, { nullable: true })
  popupMessage!: string | null;

  @Field(() => String, { nullable: true })
  popupPictureUrl!: string | null;

  static fromRow(row: VoucherModuleRow): VoucherModuleSettings {
    return {
      id: toGlobalId("VoucherModule", row.id),
      pageId: row.pageId,
      moduleKey: row.moduleKey,
      batchId: toGlobalId("VoucherBatch", row.batchId),
      campaignId: row.campaignId ? toGlobalId("Campaign", row.campaignId) : null,
      popupKind: row.popupKind,
      popupMessage: row.popupMessage,
      popupPictureUrl: row.popupPictureUrl,
    };
  }
}

@ObjectType({ description: "What the page runtime needs to draw a coupon module." })
export class VoucherModuleView {
  @Field(() => VoucherModuleSettings)
  settings!: VoucherModuleSettings;

  @Field(() => String)
  batchName!: string;

  @Field(() => FenScalar, { nullable: true })
  couponAmount!: number | null;

  @Field(() => FenScalar, { nullable: true })
  transactionMinimum!: number | null;

  @Field(() => DateTimeResolver, { nullable: true })
  availableBeginTime!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  availableEndTime!: Date | null;

  @Field(() => Boolean, { description: "Whether a claim can succeed now, as far as this server knows." })
  claimable!: boolean;

  @Field(() => String, { nullable: true, description: "Why not, when claimable is false: a stable code." })
  unavailableReason!: string | null;

  @Field(() => String, { nullable: true, description: "Why not, in the customer's language." })
  unavailableMessage!: string | null;
}

@InputType()
export class SaveVoucherModuleInput {
  @Field(() => String)
  pageId!: string;

  @Field(() => String, { description: "Key of the module within the page." })
  moduleKey!: string;

  @Field(() => ID)
  batchId!: string;

  @Field(() => ID, { nullable: true, description: "Campaign the claims count for; defaults to the batch's." })
  campaignId?: string | null;

  @Field(() => PopupKindEnum)
  popupKind!: PopupKind;

  @Field(() => String, { nullable: true })
  popupMessage?: string | null;

  @Field(() => String, { nullable: true })
  popupPictureUrl?: string | null;
}

@ObjectType({ description: "Result of a customer's claim from a coupon module." })
export class ClaimVoucherPayload {
  @Field(() => String, {
    description: "ISSUED; LIMIT_REACHED (a rule of the batch); UNAVAILABLE (the merchant account or AppID cannot issue); FAILED; PENDING.",
  })
  status!: string;

  @Field(() => String, { nullable: true, description: "WeChat Pay coupon id when issued." })
  couponId!: string | null;

  @Field(() => PopupKindEnum, { nullable: true })
  popupKind!: PopupKind | null;

  @Field(() => String, { nullable: true, description: "Pop-up message to show on success." })
  popupMessage!: string | null;

  @Field(() => String, { nullable: true, description: "Pop-up picture to show on success." })
  popupPictureUrl!: string | null;

  @Field(() => String, { nullable: true, description: "Stable reason code when not issued." })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: "Reason in the customer's language." })
  message!: string | null;
}
